"""One working session per role, on a phone (390×844), end to end in a real browser: the office,
the expert, the leader and an inspection in the field. The officer's and the inspector's hazard
loop is test_journeys.py, the admin's accounts test_accounts.py.

Each journey also switches the language once from the page, and no request may leave the
server's own host (no CDN, no font service, no analytics: design.md "Web UI")."""

import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlparse

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from worksafe.hazards.models import Hazard
from worksafe.testing import PNG

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def phone(open_as, live_server):
    """phone(username) -> a signed-in phone page that remembers every foreign request."""
    host = urlparse(live_server.url).netloc
    pages = []

    def open_phone(username: str):
        page = open_as(username, phone=True)
        page.foreign = []
        page.on(
            "request",
            lambda request: (
                urlparse(request.url).netloc not in (host, "") and page.foreign.append(request.url)
            ),
        )
        pages.append(page)
        return page

    yield open_phone
    for page in pages:
        assert page.foreign == [], page.foreign


def to_chinese(page) -> None:
    """Switch the language from the page's own menu, folded on a phone."""
    page.locator("summary.menu-toggle").click()
    page.locator('form.lang button[value="zh-hans"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")


def period(world):
    from worksafe.assessment.services import period_compute, period_create, subject_add

    today = timezone.localdate()
    made = period_create(
        actor=world.office,
        name=f"{today.year}年度安全生产考核",
        region="210200",
        starts_on=today.replace(month=1, day=1),
        ends_on=today.replace(month=12, day=31),
    )
    for code in ("210202", "210211"):
        subject_add(actor=world.office, period_id=made.pk, kind="region", region=code)
    period_compute(actor=world.office, period_id=made.pk)
    return made


def test_office_filters_the_register_assigns_in_a_batch_exports_and_opens_the_assessment(world, phone):
    for n in range(2):
        world.make_hazard(enterprise=world.enterprise_a, title=f"中山区隐患{n}")
        world.make_hazard(enterprise=world.enterprise_b, title=f"甘井子区隐患{n}")
    assessment = period(world)

    page = phone("office")
    page.goto("/hazards/")
    expect(page.locator(".total")).to_have_attribute("data-total", "4")  # both districts

    # Narrow the register to Ganjingzi with the region picker: Dalian, then a district below it.
    page.locator("details.filters > summary").click()
    page.locator(".picker-panel > summary").click()
    page.locator(".region-tree details summary").first.click()
    page.locator("[data-pick='210211']").click()
    expect(page.locator("#id_region")).to_have_value("210211")
    page.locator("details.filters button[type=submit]").click()
    expect(page.locator("tr.hazard-row")).to_have_count(2)
    expect(page.locator("tr.hazard-row .title-cell")).to_have_text([re.compile("甘井子区隐患")] * 2)

    # Assign both at once.
    page.locator("tr.hazard-row input[name=ids]").nth(0).check()
    page.locator("tr.hazard-row input[name=ids]").nth(1).check()
    page.locator("details.bulk > summary").click()
    page.select_option("#bulk_action", "assign")
    page.fill("#bulk_due_date", (timezone.localdate() + timedelta(days=15)).isoformat())
    page.fill("#bulk_responsible_person", "赵安全员")
    page.get_by_role("button", name="Apply to the selected").click()
    expect(page.locator(".bulk-summary")).to_have_text("Done: 2. Not done: 0.")
    assert set(Hazard.objects.filter(enterprise=world.enterprise_b).values_list("status", flat=True)) == {
        Hazard.Status.RECTIFYING
    }
    assert set(Hazard.objects.filter(enterprise=world.enterprise_a).values_list("status", flat=True)) == {
        Hazard.Status.REPORTED
    }

    # Export what the filter shows.
    page.get_by_role("link", name="Back to the list").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export to Excel").click()
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    titles = {cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)}
    assert {"甘井子区隐患0", "甘井子区隐患1"} <= titles and "中山区隐患0" not in titles

    # The assessment, ranked.
    page.goto("/assessment/")
    page.get_by_role("link", name=assessment.name).click()
    expect(page.locator("h1")).to_contain_text(assessment.name)
    expect(page.locator("main")).to_contain_text("甘井子区")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    to_chinese(page)
    expect(page.locator("main")).to_contain_text("甘井子区")


def test_expert_finds_the_review_at_home_and_accepts_it(world, phone):
    from worksafe.hazards.tests.conftest import bring_to

    hazard = world.make_hazard(title="液氯储罐区重大隐患", level="major")
    Hazard.objects.filter(pk=hazard.pk).update(expert=world.expert)
    hazard = bring_to(world, Hazard.objects.get(pk=hazard.pk), Hazard.Status.PENDING_ACCEPTANCE)
    world.make_hazard(title="专家看不到的隐患", level="major")

    page = phone("expert")
    assigned = page.locator("[data-panel=assigned]")
    expect(assigned).to_contain_text("液氯储罐区重大隐患")
    expect(page.locator("main")).not_to_contain_text("专家看不到的隐患")
    assigned.get_by_role("link", name=re.compile("液氯储罐区重大隐患")).click()
    expect(page.locator("dl.facts").first).to_contain_text("Pending acceptance")
    expect(page.locator("form.action-assign")).to_have_count(0)  # the expert only verifies
    form = page.locator("form.action-accept")
    form.locator("#accept_note").fill("现场复核，整改到位")
    form.locator("button[type=submit]").click()
    expect(page.locator("dl.facts").first).to_contain_text("Closed")
    expect(page.locator("#timeline")).to_contain_text("现场复核，整改到位")
    assert Hazard.objects.get(pk=hazard.pk).status == Hazard.Status.CLOSED
    to_chinese(page)
    expect(page.locator("dl.facts").first).to_contain_text("已销号")


def test_leader_reads_everything_and_is_offered_no_action(world, phone):
    from worksafe.accidents.services import accident_create

    hazard = world.make_hazard(title="领导查看的隐患")
    accident = accident_create(
        actor=world.office,
        occurred_at=datetime.now(UTC) - timedelta(hours=3),
        region="210202",
        industry="hazardous_chemicals",
        enterprise=world.enterprise_a.pk,
        deaths=1,
        serious_injuries=0,
        direct_economic_loss=Decimal("500000"),
        summary="储罐区爆燃",
    )
    assessment = period(world)

    page = phone("leader")
    expect(page.locator("a.tile").first).to_be_visible()
    no_actions = page.locator("main form")  # every write on these pages is a form in main
    expect(page.get_by_role("link", name="Report a hidden danger")).to_have_count(0)

    page.goto("/hazards/")
    expect(page.locator("tr.hazard-row")).to_have_count(1)
    expect(page.locator("input[name=ids]")).to_have_count(0)
    page.get_by_role("link", name="领导查看的隐患").click()
    expect(page.locator("h1")).to_have_text("领导查看的隐患")
    expect(no_actions).to_have_count(0)
    assert page.url.endswith(f"/hazards/{hazard.pk}/")

    page.goto("/accidents/")
    page.locator(f'a[href="/accidents/{accident.pk}/"]').first.click()
    expect(page.locator("main")).to_contain_text("储罐区爆燃")
    expect(no_actions).to_have_count(0)

    page.goto(f"/assessment/{assessment.pk}/")
    expect(page.locator("h1")).to_contain_text(assessment.name)
    expect(no_actions).to_have_count(0)
    to_chinese(page)
    expect(no_actions).to_have_count(0)


def test_an_inspection_on_a_phone_registers_its_hazards_for_the_enterprise(world, phone):
    from worksafe.inspections.services import inspection_create

    inspection = inspection_create(
        actor=world.inspector,
        target=world.enterprise_a.pk,
        kind="routine",
        planned_on=timezone.localdate(),
        team=[world.inspector.pk],
    )
    page = phone("inspector")
    page.goto(f"/inspections/{inspection.pk}/")
    page.get_by_role("button", name="Start the inspection here").click()
    items = page.locator("li.insp-item")
    expect(items.first.locator("button[name=result]").first).to_be_visible()
    total = items.count()

    # Three answers, each saved by htmx without leaving the page.
    url = page.url
    for n, result in enumerate(("pass", "fail", "not_applicable")):
        item = items.nth(n)
        if result == "fail":
            item.locator("textarea[name=note]").fill("安全阀未定期校验")
        item.locator(f"button[value={result}]").click()
        expect(item).to_have_class(re.compile(f"answered insp-{result}"))
        expect(page.locator("#insp-progress")).to_have_text(f"{n + 1} of {total} answered")
    assert page.url == url

    # A photo of the failed item, then another finding.
    items.nth(1).locator("input[type=file]").set_input_files(
        {"name": "valve.png", "mimeType": "image/png", "buffer": PNG}
    )
    expect(page.locator("ul.insp-photos img")).to_have_count(1)
    page.fill("#id_title", "消防通道堆放杂物")
    page.select_option("#id_level", "general")
    page.get_by_role("button", name="Add finding").click()
    expect(page.locator("ul.insp-cards")).to_contain_text("消防通道堆放杂物")

    # Finishing with unanswered items needs a confirmation.
    page.get_by_role("button", name="Finish and register hidden dangers").click()
    expect(page.locator("ul.messages")).to_contain_text(
        f"{total - 3} of {total} checklist items are unanswered"
    )
    assert not Hazard.objects.filter(enterprise=world.enterprise_a).exists()
    page.locator("input[name=allow_unanswered]").check()
    page.get_by_role("button", name="Finish and register hidden dangers").click()
    expect(page.locator("main")).to_contain_text("2 hidden dangers registered.")
    page.get_by_role("link", name="Open the register").click()
    expect(page.locator("tr.hazard-row")).to_have_count(2)
    to_chinese(page)
    expect(page.locator("tr.hazard-row")).to_have_count(2)

    # The enterprise's officer finds both in its own register, the photo on the failed item's.
    officer = phone("officer_a")
    officer.goto("/hazards/")
    expect(officer.locator("tr.hazard-row")).to_have_count(2)
    expect(officer.locator("main")).to_contain_text("消防通道堆放杂物")
    with_photo = Hazard.objects.filter(enterprise=world.enterprise_a, evidence__isnull=False).distinct()
    assert with_photo.count() == 1
    officer.goto(f"/hazards/{with_photo.get().pk}/")
    expect(officer.locator("#evidence img.thumb")).to_have_count(1)
