"""The number of queries of every list, detail and home, pages and API (style.md §7).

Two pins per screen: the count stays the same whether it shows one row or several (no query per
row: an N+1 fails here), and it equals an exact figure, so that a new query on a hot path is a
decision someone made, not an accident. When a change adds or saves a query on purpose, update
the figure in the same commit and say why.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from worksafe.orgs.models import Organization, Role
from worksafe.testing import PNG, make_org, make_user

pytestmark = pytest.mark.usefixtures("frozen")


def _enterprise(world, i):
    return (world.enterprise_a, world.enterprise_b)[i % 2]


def add_hazard(world, i):
    from worksafe.hazards.models import Hazard
    from worksafe.hazards.services import hazard_transition

    hazard = world.make_hazard(enterprise=_enterprise(world, i), title=f"隐患{i}", level="major")
    Hazard.objects.filter(pk=hazard.pk).update(expert=world.expert)  # under the expert's review
    if i % 2:
        hazard_transition(actor=world.office, hazard_id=hazard.pk, action="cancel", version=1, note="重复")
    return hazard


def add_inspection(world, i):
    from worksafe.inspections.services import inspection_create, inspection_start

    inspection = inspection_create(
        actor=world.inspector,
        target=_enterprise(world, i).pk,
        kind="routine",
        planned_on=timezone.localdate(),
        team=[world.inspector.pk],
    )
    if i % 2:
        inspection_start(actor=world.inspector, inspection_id=inspection.pk)
    return inspection


def add_enforcement(world, i):
    from worksafe.inspections.services import enforcement_create

    return enforcement_create(
        actor=world.inspector,
        target=_enterprise(world, i).pk,
        kind="order_rectify",
        legal_basis="《安全生产法》第六十五条",
        deadline=timezone.localdate() + timedelta(days=10),
    )


def add_opinion(world, i):
    from worksafe.inspections.models import Opinion

    enterprise = _enterprise(world, i)
    return Opinion.objects.create(
        inspection=add_inspection(world, i),
        addressee=enterprise,
        region_id=enterprise.region_id,
        text=f"整改意见{i}",
        deadline=timezone.localdate() + timedelta(days=10),
    )


def add_checklist(world, i):
    from worksafe.inspections.models import ChecklistTemplate
    from worksafe.inspections.services import checklist_copy

    shipped = ChecklistTemplate.objects.filter(owner__isnull=True).order_by("pk")[i % 3]
    return checklist_copy(actor=world.office, template_id=shipped.pk, name=f"检查表{i}")


def add_meeting(world, i):
    from worksafe.meetings.services import meeting_create

    return meeting_create(
        actor=world.office,
        region="210200",
        title=f"会议{i}",
        held_on=timezone.localdate(),
        form="video_conference",
        directives=[{"text": f"部署{i}", "industries": ["gas"]}, {"text": "压实责任"}],
        venues=[{"region": "210211", "attendees": "区长"}],
    )


def add_accident(world, i):
    from worksafe.accidents.services import accident_create

    enterprise = _enterprise(world, i)
    return accident_create(
        actor=world.office,
        occurred_at=timezone.now() - timedelta(hours=2 + i),
        region=enterprise.region_id,
        industry=enterprise.industry,
        enterprise=enterprise.pk,
        deaths=i % 2,
        serious_injuries=1,
        direct_economic_loss=Decimal("1000.00"),
        summary=f"事故{i}",
    )


def add_period(world, i):
    from worksafe.assessment.services import period_create

    today = timezone.localdate()
    return period_create(
        actor=world.office,
        name=f"{today.year - i}年度考核",
        region="210200",
        starts_on=today.replace(year=today.year - i, month=1, day=1),
        ends_on=today.replace(year=today.year - i, month=12, day=31),
    )


def add_organization(world, i):
    return make_org(kind=Organization.Kind.ENTERPRISE, name=f"企业{i}", region=("210202", "210211")[i % 2])


def add_user(world, i):
    return make_user(f"person{i}", role=Role.ENTERPRISE_OFFICER, organization=add_organization(world, i))


def add_import_job(world, i):
    from django.core.files.base import ContentFile

    from worksafe.ledgers.models import ImportJob, ImportKind

    job = ImportJob(user=world.office, kind=ImportKind.values[i % 2], original_name=f"台账{i}.xlsx")
    job.file.save("ledger.xlsx", ContentFile(b"PK\x03\x04"), save=False)
    job.save()
    return job


def counted(count_queries, client, url) -> tuple[int, int]:
    """(queries, length of the answer): a longer answer proves the added rows were shown."""
    answer = {}

    def get():
        answer["response"] = client.get(url)
        return answer["response"]

    return count_queries(get), len(answer["response"].content)


@dataclass(frozen=True)
class Screen:
    url: str
    who: str
    add: object  # add(world, i) -> one more row the viewer sees
    queries: int  # the exact count, with any number of rows

    def __str__(self):
        return f"{self.url} as {self.who}"


PAGES = [
    Screen("/hazards/", "office", add_hazard, 8),
    Screen("/hazards/", "inspector", add_hazard, 8),
    Screen("/hazards/", "officer_a", add_hazard, 8),
    Screen("/hazards/", "expert", add_hazard, 8),
    Screen("/inspections/", "inspector", add_inspection, 9),
    Screen("/inspections/opinions/", "office", add_opinion, 7),
    Screen("/inspections/checklists/", "office", add_checklist, 7),
    Screen("/inspections/enforcement/", "inspector", add_enforcement, 8),
    Screen("/accidents/", "office", add_accident, 7),
    Screen("/meetings/", "office", add_meeting, 7),
    Screen("/assessment/", "office", add_period, 7),
    Screen("/enterprises/", "office", add_organization, 7),
    Screen("/accounts/organizations/", "admin", add_organization, 6),
    Screen("/accounts/users/", "admin", add_user, 6),
    Screen("/ledgers/", "office", add_import_job, 6),
]

API = [
    Screen("/api/v1/hazards", "office", add_hazard, 2),
    Screen("/api/v1/hazards", "expert", add_hazard, 2),
    Screen("/api/v1/inspections", "inspector", add_inspection, 3),
    Screen("/api/v1/opinions", "office", add_opinion, 2),
    Screen("/api/v1/checklists", "office", add_checklist, 2),
    Screen("/api/v1/enforcement", "inspector", add_enforcement, 2),
    Screen("/api/v1/accidents", "office", add_accident, 2),
    Screen("/api/v1/meetings", "office", add_meeting, 4),
    Screen("/api/v1/assessment/periods", "office", add_period, 2),
    Screen("/api/v1/organizations", "admin", add_organization, 2),
    Screen("/api/v1/users", "admin", add_user, 2),
]


@pytest.mark.parametrize("screen", PAGES, ids=str)
def test_page_lists(world, page, count_queries, screen):
    client = page(getattr(world, screen.who))
    screen.add(world, 0)
    client.get(screen.url)  # the first visit settles the session
    one, small = counted(count_queries, client, screen.url)
    for i in range(1, 6):
        screen.add(world, i)
    many, large = counted(count_queries, client, screen.url)
    assert large > small
    assert (one, many) == (screen.queries, screen.queries)


@pytest.mark.parametrize("screen", API, ids=str)
def test_api_lists(world, api, count_queries, screen):
    client = api(getattr(world, screen.who))
    screen.add(world, 0)
    client.get(screen.url)  # the token's first use records when it was used
    one = count_queries(lambda: client.get(screen.url))
    for i in range(1, 6):
        screen.add(world, i)
    many = count_queries(lambda: client.get(screen.url))
    assert len(client.get(screen.url).json()["items"]) >= 6
    assert (one, many) == (screen.queries, screen.queries)


def add_work(world, i):
    """A day's work that the home pages count: a hazard, an inspection today, an accident."""
    add_hazard(world, i)
    add_inspection(world, i)
    add_accident(world, i)


HOMES = {
    "admin": 11,
    "office": 12,
    "leader": 10,
    "office_gjz": 12,
    "inspector": 12,
    "officer_a": 11,
    "expert": 10,
}


@pytest.mark.parametrize("who", HOMES)
def test_home_of_each_role(world, page, count_queries, who):
    client = page(getattr(world, who))
    add_work(world, 0)
    client.get("/")
    one = count_queries(lambda: client.get("/"))
    for i in range(1, 4):
        add_work(world, i)
    assert (one, count_queries(lambda: client.get("/"))) == (HOMES[who], HOMES[who])


# --- details: the count stays put as the record gathers photos, events, answers, decisions ---


def hazard_with(world, hazard, i):
    from worksafe.hazards.services import hazard_add_evidence, hazard_transition

    if hazard is None:
        return world.make_hazard(title="储罐区隐患")
    upload = SimpleUploadedFile(f"p{i}.png", PNG, content_type="image/png")
    hazard_add_evidence(actor=world.office, hazard_id=hazard.pk, upload=upload, kind="before")
    hazard.refresh_from_db()
    action = ("assign", "submit", "reject", "submit", None)[i]
    if action:
        extra = {"responsible_person": "王五"} if action == "assign" else {"note": "照片不清"}
        hazard_transition(
            actor=world.office, hazard_id=hazard.pk, action=action, version=hazard.version, **extra
        )
    return hazard


def inspection_with(world, inspection, i):
    from worksafe.inspections.services import finding_add, inspection_answer, photo_add

    if inspection is None:
        return add_inspection(world, 1)  # an odd row is started
    item = inspection.checklist.items.order_by("pk")[i]
    inspection_answer(actor=world.inspector, inspection_id=inspection.pk, item=item.pk, result="fail")
    finding = finding_add(actor=world.inspector, inspection_id=inspection.pk, title=f"发现{i}")
    upload = SimpleUploadedFile(f"p{i}.png", PNG, content_type="image/png")
    photo_add(actor=world.inspector, inspection_id=inspection.pk, upload=upload, finding=finding.pk)
    return inspection


def accident_with(world, accident, i):
    from worksafe.accidents.services import decision_create

    if accident is None:
        return add_accident(world, 0)
    decision_create(
        actor=world.office,
        accident_id=accident.pk,
        subject="organization" if i % 2 else "person",
        organization=world.dept_em.pk if i % 2 else None,
        person_name="" if i % 2 else f"责任人{i}",
        kind="notification",
        basis="《生产安全事故报告和调查处理条例》",
    )
    return accident


DALIAN_DISTRICTS = ["210202", "210203", "210204", "210211", "210212", "210213"]


def period_with(world, period, i):
    from worksafe.assessment.services import period_compute, subject_add

    if period is None:
        return add_period(world, 0)
    subject_add(actor=world.office, period_id=period.pk, kind="region", region=DALIAN_DISTRICTS[i])
    period_compute(actor=world.office, period_id=period.pk)
    return period


@dataclass(frozen=True)
class Detail:
    url: str  # with {pk}
    who: str
    grow: object  # grow(world, obj or None, i) -> the object, with one more of what it gathers
    queries: int

    def __str__(self):
        return f"{self.url} as {self.who}"


DETAILS = [
    Detail("/hazards/{pk}/", "office", hazard_with, 9),
    Detail("/hazards/{pk}/", "officer_a", hazard_with, 9),
    Detail("/api/v1/hazards/{pk}", "office", hazard_with, 2),
    Detail("/api/v1/hazards/{pk}/events", "office", hazard_with, 3),
    Detail("/inspections/{pk}/", "inspector", inspection_with, 13),
    Detail("/api/v1/inspections/{pk}", "inspector", inspection_with, 7),
    Detail("/accidents/{pk}/", "office", accident_with, 16),
    Detail("/api/v1/accidents/{pk}/decisions", "office", accident_with, 3),
    Detail("/assessment/{pk}/", "office", period_with, 11),
    Detail("/api/v1/assessment/periods/{pk}", "office", period_with, 4),
]


@pytest.mark.parametrize("detail", DETAILS, ids=str)
def test_details(world, page, api, count_queries, detail):
    client = (api if detail.url.startswith("/api/") else page)(getattr(world, detail.who))
    obj = detail.grow(world, None, 0)
    obj = detail.grow(world, obj, 0)
    url = detail.url.format(pk=obj.pk)
    client.get(url)
    one, small = counted(count_queries, client, url)
    for i in range(1, 5):
        detail.grow(world, obj, i)
    many, large = counted(count_queries, client, url)
    assert large > small
    assert (one, many) == (detail.queries, detail.queries)


# Details with nothing to gather: one exact figure each.
SINGLES = [
    ("/inspections/checklists/{pk}/", "office", add_checklist, 9),
    ("/api/v1/checklists/{pk}", "office", add_checklist, 3),
    ("/api/v1/enforcement/{pk}", "inspector", add_enforcement, 2),
    ("/api/v1/accidents/{pk}", "office", add_accident, 2),
    ("/meetings/{pk}/", "office", add_meeting, 10),
    ("/api/v1/meetings/{pk}", "office", add_meeting, 4),
    ("/api/v1/opinions/{pk}", "office", add_opinion, 2),
    ("/enterprises/{pk}/", "office", add_organization, 9),
    ("/accounts/organizations/{pk}/", "admin", add_organization, 9),
    ("/api/v1/organizations/{pk}", "admin", add_organization, 2),
    ("/accounts/users/{pk}/", "admin", add_user, 7),
    ("/api/v1/users/{pk}", "admin", add_user, 2),
    ("/ledgers/jobs/{pk}/", "office", add_import_job, 6),
    ("/api/v1/ledgers/imports/{pk}", "office", add_import_job, 2),
]


@pytest.mark.parametrize(
    ("url", "who", "make", "queries"), SINGLES, ids=[f"{u} as {w}" for u, w, *_ in SINGLES]
)
def test_single_records(world, page, api, count_queries, url, who, make, queries):
    client = (api if url.startswith("/api/") else page)(getattr(world, who))
    url = url.format(pk=make(world, 0).pk)
    client.get(url)
    assert count_queries(lambda: client.get(url)) == queries
