"""Page and API never disagree about who may write (design.md: one rule, two doors).

Every write that exists both as a page and as an endpoint is tried by every person of the
`World`, once through the page (a form POST) and once through the API, each on a fresh object.
The outcome is classed by its effect: done (the write happened), 403, 404, or refused (bad
input or a state that does not allow it, whatever the status code). The two classes must match.

To cover a new action, add one `Action` to ACTIONS: how to make a fresh object, how the page
and the API are called, and how to tell that the write happened.

A nav test beside it: each role's navigation shows the pages the rules allow (each answers 200)
and hides the others (each answers 403).
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from worksafe.accidents.models import Accident
from worksafe.accidents.services import accident_create
from worksafe.assessment.models import Indicator, Period
from worksafe.assessment.services import period_compute, period_create, period_transition, subject_add
from worksafe.hazards.models import Hazard
from worksafe.hazards.services import hazard_transition
from worksafe.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    Enforcement,
    Inspection,
    InspectionPlan,
    Opinion,
)
from worksafe.inspections.nav import SUBNAV
from worksafe.inspections.services import (
    checklist_copy,
    enforcement_create,
    inspection_create,
    inspection_start,
)
from worksafe.ledgers import sheets
from worksafe.ledgers.models import ImportJob
from worksafe.ledgers.services import import_job_create
from worksafe.meetings.models import Meeting
from worksafe.meetings.services import meeting_create
from worksafe.testing import ApiClient
from worksafe.web.nav import MAIN

PEOPLE = [
    "admin",
    "office",
    "leader",
    "office_gjz",
    "inspector",
    "inspector_build",
    "inspector_zs",
    "officer_a",
    "officer_b",
    "officer_c",
    "outsider",
    "officer_h",
    "expert",
]


@dataclass(frozen=True)
class Action:
    name: str
    setup: Callable  # (world, user) -> ctx: a fresh object for one attempt (ctx["marker"] is unique)
    page: Callable  # (client, ctx) -> response
    api: Callable  # (api client, ctx) -> response
    done: Callable  # (ctx) -> bool: the write happened


def _today():
    return timezone.localdate()


def _marker() -> str:
    return f"parity-{uuid.uuid4().hex[:12]}"


def _ctx(**values) -> dict:
    return {"marker": _marker(), **values}


# --- hidden dangers --------------------------------------------------------------------------

HAZARD_PATHS = {
    "assign": ((), Hazard.Status.RECTIFYING),
    "submit": (("assign",), Hazard.Status.PENDING_ACCEPTANCE),
    "accept": (("assign", "submit"), Hazard.Status.CLOSED),
    "reject": (("assign", "submit"), Hazard.Status.RECTIFYING),
    "cancel": ((), Hazard.Status.CANCELLED),
}


def _hazard(world, path, **fields) -> Hazard:
    hazard = world.make_hazard(**fields)
    for step in path:
        extra = {"responsible_person": "王五"} if step == "assign" else {}
        hazard = hazard_transition(
            actor=world.office, hazard_id=hazard.pk, action=step, version=hazard.version, note="x", **extra
        )
    return hazard


def _transition_body(ctx) -> dict:
    body = {"action": ctx["action"], "version": ctx["hazard"].version, "note": "核查"}
    if ctx["action"] == "assign":
        body.update(due_date=(_today() + timedelta(days=10)).isoformat(), responsible_person="王五")
    return body


def hazard_transition_action(action: str, **fields) -> Action:
    path, status = HAZARD_PATHS[action]
    return Action(
        name=f"hazard {action}",
        setup=lambda w, u: _ctx(action=action, hazard=_hazard(w, path, **fields)),
        page=lambda c, x: c.post(f"/hazards/{x['hazard'].pk}/transition/", _transition_body(x)),
        api=lambda a, x: a.post(f"/api/v1/hazards/{x['hazard'].pk}/transition", _transition_body(x)),
        done=lambda x: Hazard.objects.get(pk=x["hazard"].pk).status == status,
    )


def _self_found(world, path):
    hazard = world.make_hazard(actor=world.officer_a, source="self_check")
    for step in path:
        extra = {"responsible_person": "王五"} if step == "assign" else {}
        hazard = hazard_transition(
            actor=world.officer_a, hazard_id=hazard.pk, action=step, version=hazard.version, **extra
        )
    return hazard


def _hazard_body(world, ctx) -> dict:
    """An enterprise's form is fixed to its own enterprise and to self-check: send the same."""
    officer = ctx["user"].organization if ctx["user"].role == "enterprise_officer" else None
    return {
        "enterprise": (officer or world.enterprise_a).pk,
        "title": ctx["marker"],
        "level": "general",
        "source": "self_check" if officer else "other",
        "due_date": (_today() + timedelta(days=10)).isoformat(),
    }


# --- inspections -----------------------------------------------------------------------------


def _inspection(world, *, started=False) -> Inspection:
    inspection = inspection_create(
        actor=world.inspector, target=world.enterprise_a.pk, kind="routine", planned_on=_today()
    )
    if started:
        inspection = inspection_start(actor=world.inspector, inspection_id=inspection.pk)
    return inspection


def inspection_step(step: str, status: str, *, started: bool) -> Action:
    return Action(
        name=f"inspection {step}",
        setup=lambda w, u: _ctx(inspection=_inspection(w, started=started)),
        # The same request through both doors: a finish says it leaves the checklist unanswered.
        page=lambda c, x: c.post(
            f"/inspections/{x['inspection'].pk}/{step}/", {"note": "改期", "allow_unanswered": "on"}
        ),
        api=lambda a, x: a.post(
            f"/api/v1/inspections/{x['inspection'].pk}/{step}",
            {"note": "改期"} if step == "cancel" else {"allow_unanswered": step == "finish"},
        ),
        done=lambda x: Inspection.objects.get(pk=x["inspection"].pk).status == status,
    )


def _inspection_body(world, ctx) -> dict:
    return {
        "target": world.enterprise_a.pk,
        "kind": "routine",
        "planned_on": _today().isoformat(),
        "note": ctx["marker"],
    }


def _plan_body(ctx) -> dict:
    return {
        "name": ctx["marker"],
        "method": "random",
        "kind": "routine",
        "planned_on": (_today() + timedelta(days=5)).isoformat(),
        "target_count": 1,
        "team_size": 1,
    }


def _order_body(world, ctx) -> dict:
    return {
        "target": world.enterprise_a.pk,
        "kind": "order_rectify",
        "deadline": (_today() + timedelta(days=10)).isoformat(),
        "description": ctx["marker"],
    }


def _order(world) -> Enforcement:
    return enforcement_create(
        actor=world.inspector,
        target=world.enterprise_a.pk,
        kind="order_rectify",
        deadline=_today() + timedelta(days=10),
    )


def _opinion(world, status) -> Opinion:
    inspection = inspection_create(
        actor=world.office, target=world.committee_gjz.pk, kind="government_supervision", planned_on=_today()
    )
    return Opinion.objects.create(
        inspection=inspection,
        addressee=world.committee_gjz,
        region_id=world.committee_gjz.region_id,
        text="未开展专项检查",
        deadline=_today() + timedelta(days=10),
        status=status,
    )


def opinion_action(action: str) -> Action:
    sources, target = Opinion.TRANSITIONS[action]
    source = sorted(sources)[0]

    def body(x):
        return {"action": action, "version": x["opinion"].version, "note": "已部署"}

    return Action(
        name=f"opinion {action}",
        setup=lambda w, u: _ctx(opinion=_opinion(w, source)),
        page=lambda c, x: c.post(f"/inspections/opinions/{x['opinion'].pk}/", body(x)),
        api=lambda a, x: a.post(f"/api/v1/opinions/{x['opinion'].pk}/transition", body(x)),
        done=lambda x: Opinion.objects.get(pk=x["opinion"].pk).status == target,
    )


def _checklist(world) -> dict:
    shipped = ChecklistTemplate.objects.filter(owner__isnull=True, industry="hazardous_chemicals").first()
    copy = checklist_copy(actor=world.office, template_id=shipped.pk, name="市级版")
    return _ctx(checklist=copy, item=copy.items.order_by("pk").first())


# --- accidents and assessment ----------------------------------------------------------------


def _accident_body(world, ctx) -> dict:
    return {
        "occurred_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "region": world.enterprise_a.region_id,
        "industry": "hazardous_chemicals",
        "enterprise": world.enterprise_a.pk,
        "deaths": 0,
        "missing": 0,
        "serious_injuries": 1,
        "direct_economic_loss": "1000.00",
        "summary": ctx["marker"],
    }


def _accident(world) -> Accident:
    return accident_create(
        actor=world.admin,
        occurred_at=timezone.now() - timedelta(hours=2),
        region=world.enterprise_a.region_id,
        industry="hazardous_chemicals",
        enterprise=world.enterprise_a.pk,
        deaths=0,
        serious_injuries=1,
        direct_economic_loss="1000.00",
    )


def _casualties(ctx) -> dict:
    return {
        "version": ctx["accident"].version,
        "deaths": 0,
        "missing": 0,
        "serious_injuries": 2,
        "direct_economic_loss": "1000.00",
        "note": "又一人重伤",
    }


def _meeting_body(ctx) -> dict:
    return {
        "region": "210200",
        "title": ctx["marker"],
        "held_on": _today().isoformat(),
        "form": "plenary",
        "industries": ["gas"],
        # The page's directive rows (a formset): none here.
        "directives-TOTAL_FORMS": 0,
        "directives-INITIAL_FORMS": 0,
    }


def _period(world, *, computed=False, published=False) -> Period:
    today = _today()
    period = period_create(
        actor=world.office,
        name="年度考核",
        region="210200",
        starts_on=today.replace(month=1, day=1),
        ends_on=today.replace(month=12, day=31),
    )
    subject_add(actor=world.office, period_id=period.pk, kind="region", region="210202")
    if computed or published:
        period_compute(actor=world.office, period_id=period.pk)
    if published:
        period_transition(
            actor=world.office, period_id=period.pk, action="publish", version=period.version + 1
        )
    return Period.objects.get(pk=period.pk)


def period_step(action: str, status: str, **state) -> Action:
    def body(x):
        return {"action": action, "version": x["period"].version}

    return Action(
        name=f"assessment {action}",
        setup=lambda w, u: _ctx(period=_period(w, **state)),
        page=lambda c, x: c.post(f"/assessment/{x['period'].pk}/transition/", body(x)),
        api=lambda a, x: a.post(f"/api/v1/assessment/periods/{x['period'].pk}/transition", body(x)),
        done=lambda x: Period.objects.get(pk=x["period"].pk).status == status,
    )


def _period_body(ctx) -> dict:
    today = _today()
    return {
        "name": ctx["marker"],
        "region": "210200",
        "starts_on": today.replace(month=1, day=1).isoformat(),
        "ends_on": today.replace(month=12, day=31).isoformat(),
    }


def _indicator_body(ctx) -> dict:
    return {
        "name": ctx["marker"],
        "metric": "inspections",
        "rule": "count_reward",
        "weight": "5",
        "penalty": "1",
    }


# --- ledgers ---------------------------------------------------------------------------------


def _ledger(ctx) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{ctx['marker']}.xlsx", sheets.template_workbook("hazards"))


def _checked_job(world) -> dict:
    ctx = _ctx()
    job = import_job_create(
        actor=world.office,
        kind="hazards",
        content=sheets.template_workbook("hazards"),
        original_name=f"{ctx['marker']}.xlsx",
        dry_run=True,
    )
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE)
    return {**ctx, "job": job}


ACTIONS = [
    *(hazard_transition_action(a) for a in HAZARD_PATHS),
    Action(
        name="hazard accept (self-found)",
        setup=lambda w, u: _ctx(action="accept", hazard=_self_found(w, ("assign", "submit"))),
        page=lambda c, x: c.post(f"/hazards/{x['hazard'].pk}/transition/", _transition_body(x)),
        api=lambda a, x: a.post(f"/api/v1/hazards/{x['hazard'].pk}/transition", _transition_body(x)),
        done=lambda x: Hazard.objects.get(pk=x["hazard"].pk).status == Hazard.Status.CLOSED,
    ),
    Action(
        name="hazard create",
        setup=lambda w, u: _ctx(world=w, user=u),
        page=lambda c, x: c.post("/hazards/new/", _hazard_body(x["world"], x)),
        api=lambda a, x: a.post("/api/v1/hazards", _hazard_body(x["world"], x)),
        done=lambda x: Hazard.objects.filter(title=x["marker"]).exists(),
    ),
    Action(
        name="inspection create",
        setup=lambda w, u: _ctx(world=w),
        page=lambda c, x: c.post("/inspections/new/", _inspection_body(x["world"], x)),
        api=lambda a, x: a.post("/api/v1/inspections", _inspection_body(x["world"], x)),
        done=lambda x: Inspection.objects.filter(note=x["marker"]).exists(),
    ),
    inspection_step("start", Inspection.Status.IN_PROGRESS, started=False),
    inspection_step("finish", Inspection.Status.FINISHED, started=True),
    inspection_step("cancel", Inspection.Status.CANCELLED, started=False),
    Action(
        name="enforcement create",
        setup=lambda w, u: _ctx(world=w),
        page=lambda c, x: c.post("/inspections/enforcement/new/", _order_body(x["world"], x)),
        api=lambda a, x: a.post("/api/v1/enforcement", _order_body(x["world"], x)),
        done=lambda x: Enforcement.objects.filter(description=x["marker"]).exists(),
    ),
    Action(
        name="enforcement complete",
        setup=lambda w, u: _ctx(action=_order(w)),
        page=lambda c, x: c.post(
            f"/inspections/enforcement/{x['action'].pk}/complete/", {"version": x["action"].version}
        ),
        api=lambda a, x: a.post(
            f"/api/v1/enforcement/{x['action'].pk}/complete", {"version": x["action"].version}
        ),
        done=lambda x: Enforcement.objects.get(pk=x["action"].pk).status == Enforcement.Status.COMPLETED,
    ),
    Action(
        name="accident create",
        setup=lambda w, u: _ctx(world=w),
        page=lambda c, x: c.post("/accidents/new/", _accident_body(x["world"], x)),
        api=lambda a, x: a.post("/api/v1/accidents", _accident_body(x["world"], x)),
        done=lambda x: Accident.objects.filter(summary=x["marker"]).exists(),
    ),
    Action(
        name="accident update",
        setup=lambda w, u: _ctx(accident=_accident(w)),
        page=lambda c, x: c.post(f"/accidents/{x['accident'].pk}/casualties/", _casualties(x)),
        api=lambda a, x: a.patch(f"/api/v1/accidents/{x['accident'].pk}", _casualties(x)),
        done=lambda x: Accident.objects.get(pk=x["accident"].pk).serious_injuries == 2,
    ),
    Action(
        name="meeting create",
        setup=lambda w, u: _ctx(),
        page=lambda c, x: c.post("/meetings/new/", _meeting_body(x)),
        api=lambda a, x: a.post("/api/v1/meetings", _meeting_body(x)),
        done=lambda x: Meeting.objects.filter(title=x["marker"]).exists(),
    ),
    Action(
        name="assessment create",
        setup=lambda w, u: _ctx(),
        page=lambda c, x: c.post("/assessment/new/", _period_body(x)),
        api=lambda a, x: a.post("/api/v1/assessment/periods", _period_body(x)),
        done=lambda x: Period.objects.filter(name=x["marker"]).exists(),
    ),
    Action(
        name="assessment compute",
        setup=lambda w, u: _ctx(period=_period(w)),
        page=lambda c, x: c.post(f"/assessment/{x['period'].pk}/compute/"),
        api=lambda a, x: a.post(f"/api/v1/assessment/periods/{x['period'].pk}/compute"),
        done=lambda x: Period.objects.get(pk=x["period"].pk).computed_at is not None,
    ),
    period_step("publish", Period.Status.PUBLISHED, computed=True),
    period_step("reopen", Period.Status.DRAFT, published=True),
    Action(
        name="assessment indicator add",
        setup=lambda w, u: _ctx(period=_period(w)),
        page=lambda c, x: c.post(f"/assessment/{x['period'].pk}/indicators/", _indicator_body(x)),
        api=lambda a, x: a.post(
            f"/api/v1/assessment/periods/{x['period'].pk}/indicators", _indicator_body(x)
        ),
        done=lambda x: Indicator.objects.filter(name=x["marker"]).exists(),
    ),
    Action(
        name="assessment indicator weight",
        setup=lambda w, u: _ctx(period=_period(w)),
        page=lambda c, x: c.post(
            f"/assessment/{x['period'].pk}/indicators/{x['period'].indicators.first().pk}/", {"weight": "33"}
        ),
        api=lambda a, x: a.patch(
            f"/api/v1/assessment/periods/{x['period'].pk}/indicators/{x['period'].indicators.first().pk}",
            {"weight": "33"},
        ),
        done=lambda x: x["period"].indicators.filter(weight=33).exists(),
    ),
    Action(
        name="plan create",
        setup=lambda w, u: _ctx(),
        page=lambda c, x: c.post("/inspections/plans/new/", _plan_body(x)),
        api=lambda a, x: a.post("/api/v1/inspection-plans", _plan_body(x)),
        done=lambda x: InspectionPlan.objects.filter(name=x["marker"]).exists(),
    ),
    Action(
        name="import create",
        setup=lambda w, u: _ctx(),
        page=lambda c, x: c.post("/ledgers/", {"kind": "hazards", "file": _ledger(x), "dry_run": "on"}),
        api=lambda a, x: a.upload("/api/v1/ledgers/imports", {"kind": "hazards", "file": _ledger(x)}),
        done=lambda x: ImportJob.objects.filter(original_name=f"{x['marker']}.xlsx").exists(),
    ),
    Action(
        name="import apply",
        setup=lambda w, u: _checked_job(w),
        page=lambda c, x: c.post(f"/ledgers/jobs/{x['job'].pk}/import/"),
        api=lambda a, x: a.post(f"/api/v1/ledgers/imports/{x['job'].pk}/apply"),
        done=lambda x: ImportJob.objects.filter(original_name=f"{x['marker']}.xlsx", dry_run=False).exists(),
    ),
    *(opinion_action(a) for a in Opinion.TRANSITIONS),
    Action(
        name="checklist item add",
        setup=lambda w, u: _checklist(w),
        page=lambda c, x: c.post(f"/inspections/checklists/{x['checklist'].pk}/", {"text": x["marker"]}),
        api=lambda a, x: a.post(f"/api/v1/checklists/{x['checklist'].pk}/items", {"text": x["marker"]}),
        done=lambda x: ChecklistItem.objects.filter(text=x["marker"]).exists(),
    ),
    Action(
        name="checklist item remove",
        setup=lambda w, u: _checklist(w),
        page=lambda c, x: c.post(f"/inspections/checklists/{x['checklist'].pk}/", {"remove": x["item"].pk}),
        api=lambda a, x: a.client.delete(
            f"/api/v1/checklists/{x['checklist'].pk}/items/{x['item'].pk}", headers=a.headers
        ),
        done=lambda x: not ChecklistItem.objects.filter(pk=x["item"].pk).exists(),
    ),
]


def outcome(response, done: bool) -> str:
    if response.status_code in (403, 404):
        return str(response.status_code)
    assert response.status_code < 500, response.content[:500]
    return "done" if done else "refused"


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_page_and_api_agree(world, action):
    disagreements, allowed = [], []
    for name in PEOPLE:
        user = getattr(world, name)
        page = Client()
        page.force_login(user)
        ctx = action.setup(world, user)
        by_page = outcome(action.page(page, ctx), action.done(ctx))
        ctx = action.setup(world, user)
        by_api = outcome(action.api(ApiClient(user), ctx), action.done(ctx))
        if by_page != by_api:
            disagreements.append(f"{name}: page {by_page}, API {by_api}")
        if by_api == "done":
            allowed.append(name)
    assert not disagreements, f"{action.name}: " + "; ".join(disagreements)
    assert allowed, f"{action.name}: nobody could do it, so the test proves nothing"


# --- navigation ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PEOPLE)
def test_nav_shows_exactly_the_pages_the_rules_allow(world, name):
    user = getattr(world, name)
    client = Client()
    client.force_login(user)
    home = client.get("/")
    assert home.status_code == 200
    shown = set(re.findall(r'data-nav="([a-z_]+)"', home.content.decode()))
    for key, url_name, _label, rule in MAIN:
        url = reverse(url_name)
        allowed = rule(user)
        assert (key in shown) == allowed, f"{name}: nav item {key}"
        assert client.get(url).status_code == (200 if allowed else 403), f"{name}: {url}"
    for _key, url_name, _label, rule in SUBNAV:
        url = reverse(url_name)
        assert client.get(url).status_code == (200 if rule(user) else 403), f"{name}: {url}"


def test_the_enterprise_sees_no_regulator_tabs_and_the_leader_no_import(world):
    from worksafe.web.nav import items_for

    officer = {item.key for item in items_for(world.officer_a, MAIN + SUBNAV)}
    assert not officer & {"enforcement", "assessment", "plan_new", "activity", "opinions"}
    leader = {item.key for item in items_for(world.leader, MAIN + SUBNAV)}
    assert "ledgers" not in leader and "plan_new" not in leader


def test_the_leader_sees_no_write_action_anywhere(world):
    hazard = _hazard(world, ("assign", "submit"))
    inspection = _inspection(world, started=True)
    opinion = _opinion(world, Opinion.Status.PENDING_ACCEPTANCE)
    checklist = _checklist(world)["checklist"]
    _order(world)
    accident = _accident(world)
    period = _period(world, computed=True)
    meeting = meeting_create(actor=world.office, region="210200", title="会议", held_on=_today())
    client = Client()
    client.force_login(world.leader)
    pages = [
        "/",
        "/hazards/",
        f"/hazards/{hazard.pk}/",
        "/enterprises/",
        f"/enterprises/{world.enterprise_a.pk}/",
        "/inspections/",
        f"/inspections/{inspection.pk}/",
        f"/inspections/{opinion.inspection_id}/",
        "/inspections/opinions/",
        "/inspections/checklists/",
        f"/inspections/checklists/{checklist.pk}/",
        "/inspections/enforcement/",
        "/inspections/activity/",
        "/accidents/",
        f"/accidents/{accident.pk}/",
        "/assessment/",
        f"/assessment/{period.pk}/",
        "/meetings/",
        f"/meetings/{meeting.pk}/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        # The language switch and logging out are the only forms a leader gets.
        assert len(re.findall(r'<form[^>]*method="post"', html)) == 2, url
        assert not re.search(r'href="[^"]*/new/', html), url


def _forms():
    from worksafe.accidents import rules as accident_rules
    from worksafe.assessment import rules as assessment_rules
    from worksafe.hazards import rules as hazard_rules
    from worksafe.inspections import rules as inspection_rules
    from worksafe.ledgers import rules as ledger_rules
    from worksafe.meetings import rules as meeting_rules

    return [
        ("/hazards/new/", hazard_rules.may_report),
        ("/inspections/new/", inspection_rules.may_plan),
        ("/inspections/plans/new/", inspection_rules.may_plan),
        ("/inspections/enforcement/new/", inspection_rules.may_enforce),
        ("/accidents/new/", accident_rules.may_report),
        ("/meetings/new/", meeting_rules.may_record_meetings),
        ("/assessment/new/", assessment_rules.may_create_period),
        ("/ledgers/", ledger_rules.may_import),
    ]


@pytest.mark.parametrize("name", PEOPLE)
def test_a_form_opens_only_for_those_who_may_submit_it(world, name):
    from worksafe.inspections import rules as inspection_rules

    user = getattr(world, name)
    client = Client()
    client.force_login(user)
    for url, rule in _forms():
        assert client.get(url).status_code == (200 if rule(user) else 403), f"{name}: {url}"
    checklist = _checklist(world)["checklist"]
    response = client.get(f"/inspections/checklists/{checklist.pk}/")
    if response.status_code == 200:
        editable = 'name="remove"' in response.content.decode()
        assert editable == inspection_rules.may_edit_checklist(user, checklist), name
