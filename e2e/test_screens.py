"""Every page of every role, at phone and desktop size: axe-core finds no critical or serious
WCAG 2.1 AA violation, no request leaves the server's own host, and the phone layout keeps
the first screen for work (first-user review D20; accessibility review)."""

import os
import shutil
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from worksafe.testing import PNG

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DOCS = ROOT / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def cases(world):
    """A hazard with photos, a major one for the expert, an inspection in progress, an accident."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from worksafe.accidents.services import accident_create
    from worksafe.hazards.services import hazard_add_evidence, hazard_transition
    from worksafe.inspections.services import inspection_create, inspection_start

    hazards = [world.make_hazard(title=f"储罐区隐患{n}") for n in range(7)]
    first = hazards[0]
    for kind in ("before", "after"):
        hazard_add_evidence(
            actor=world.office, hazard_id=first.pk, upload=SimpleUploadedFile(f"{kind}.png", PNG), kind=kind
        )
    hazard_transition(
        actor=world.office,
        hazard_id=hazards[1].pk,
        action="cancel",
        version=hazards[1].version,
        note="重复登记",
    )
    major = world.make_hazard(title="重大隐患", level="major")
    from worksafe.hazards.models import Hazard

    Hazard.objects.filter(pk=major.pk).update(expert=world.expert)
    inspection = inspection_create(
        actor=world.inspector,
        target=world.enterprise_a.pk,
        kind="routine",
        planned_on=timezone.localdate(),
        team=[world.inspector.pk],
    )
    inspection_start(actor=world.inspector, inspection_id=inspection.pk)
    accident = accident_create(
        actor=world.office,
        occurred_at=datetime.now(UTC) - timedelta(hours=2),
        region="210202",
        industry="hazardous_chemicals",
        deaths=1,
        serious_injuries=0,
        direct_economic_loss=Decimal("800000"),
        enterprise=world.enterprise_a.pk,
    )
    return {
        "hazard": first,
        "evidence": first.evidence.first(),
        "major": major,
        "inspection": inspection,
        "accident": accident,
    }


def pages_of(role: str, cases: dict) -> list[str]:
    hazard, evidence = cases["hazard"], cases["evidence"]
    common = [
        "/",
        "/hazards/",
        f"/hazards/{hazard.pk}/",
        f"/hazards/{hazard.pk}/evidence/{evidence.pk}/view/",
    ]
    by_role = {
        "admin": [
            "/enterprises/",
            "/inspections/",
            "/accidents/",
            f"/accidents/{cases['accident'].pk}/",
            "/assessment/",
            "/ledgers/",
            "/hazards/new/",
        ],
        "office": [
            "/enterprises/",
            "/hazards/new/",
            "/inspections/",
            "/inspections/activity/",
            "/inspections/enforcement/",
            "/accidents/",
            "/accidents/new/",
            f"/accidents/{cases['accident'].pk}/",
            "/assessment/",
            "/assessment/new/",
            "/ledgers/",
        ],
        "leader": [
            "/enterprises/",
            "/inspections/",
            "/accidents/",
            f"/accidents/{cases['accident'].pk}/",
            "/assessment/",
        ],
        "inspector": [
            "/enterprises/",
            "/hazards/new/",
            "/inspections/",
            f"/inspections/{cases['inspection'].pk}/",
            "/inspections/new/",
            "/inspections/plans/new/",
            "/inspections/checklists/",
            "/inspections/enforcement/",
            "/inspections/enforcement/new/",
            "/accidents/",
        ],
        "officer_a": ["/hazards/new/", "/accidents/", "/accidents/new/"],
        "expert": [f"/hazards/{cases['major'].pk}/"],
    }
    urls = common + by_role[role]
    if role == "expert":
        urls = ["/", "/hazards/", *by_role["expert"]]
    return urls


def axe_violations(page) -> list[dict]:
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        {"rule": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("critical", "serious")
    ]


@pytest.mark.skipif(not AXE.exists(), reason="axe-core missing: run `make setup-test` (npm ci)")
@pytest.mark.parametrize("role", ["admin", "office", "leader", "inspector", "officer_a", "expert"])
def test_every_page_passes_axe_and_stays_on_its_host(world, cases, open_as, live_server, shot, role):
    host = urlparse(live_server.url).netloc
    problems = []
    for size, phone in (("phone", True), ("desktop", False)):
        page = open_as(role, phone=phone, locale="zh-CN")
        if not phone:
            page.set_viewport_size(DESKTOP)
        # The file's own contents, as an init script: the app's CSP rightly refuses an inline
        # <script> tag, and the test must not weaken it (no bypass_csp).
        page.add_init_script(script=AXE.read_text())
        foreign = []
        page.on(
            "request",
            lambda request, seen=foreign: (
                urlparse(request.url).netloc not in (host, "") and seen.append(request.url)
            ),
        )
        for url in pages_of(role, cases):
            response = page.goto(url)
            assert response.status == 200, (role, url, response.status)
            for violation in axe_violations(page):
                problems.append((size, url, violation))
            if phone:
                shot(page, f"{role}-{url.strip('/').replace('/', '-') or 'home'}-phone")
        assert foreign == [], foreign
    assert problems == []


def test_phone_header_is_compact_and_every_nav_item_is_reachable(world, cases, open_as, shot):
    page = open_as("office", phone=True, locale="en-US")
    page.goto("/hazards/")
    assert page.locator("header.topbar").bounding_box()["height"] <= 100
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # At least five hazards on the first screen.
    rows = page.locator("tr.hazard-row")
    assert sum(1 for i in range(rows.count()) if rows.nth(i).bounding_box()["y"] + 20 < PHONE["height"]) >= 5
    assert page.locator(".total").inner_text().startswith("8")  # 8 hazards in the office's scope
    shot(page, "hazard-list-phone")
    links = page.locator("nav.mainnav a")
    expect(links.first).to_be_hidden()
    page.locator("summary.menu-toggle").click()
    for i in range(links.count()):
        expect(links.nth(i)).to_be_visible()
        box = links.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, i
    shot(page, "menu-open-phone")


def test_inspection_shows_the_first_item_on_the_first_screen(world, cases, open_as, shot):
    page = open_as("inspector", phone=True, locale="zh-CN")
    page.goto(f"/inspections/{cases['inspection'].pk}/")
    first = page.locator("li.insp-item").first.locator("button[name=result]").first
    assert first.bounding_box()["y"] + first.bounding_box()["height"] <= PHONE["height"]
    shot(page, "inspection-phone")


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_desktop_header_is_one_row(world, cases, open_as, locale):
    page = open_as("office", locale=locale)
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    assert page.locator("header.topbar").bounding_box()["height"] <= 70
    expect(page.locator("nav.mainnav a").last).to_be_visible()


def test_accident_report_cards_are_not_squeezed_at_desktop(world, cases, open_as):
    page = open_as("office", locale="zh-CN")
    page.set_viewport_size(DESKTOP)
    page.goto(f"/accidents/{cases['accident'].pk}/")
    button = page.locator(".acc-card form button[type=submit]").first
    note = page.locator(".acc-card form input[name=note]").first
    assert button.bounding_box()["height"] <= 60  # one line, not one character per line
    assert note.bounding_box()["width"] >= 200


def test_photo_opens_in_the_viewer(world, cases, open_as, shot):
    page = open_as("office", phone=True, locale="zh-CN")
    page.goto(f"/hazards/{cases['hazard'].pk}/")
    page.locator("#evidence img.thumb").first.click()
    page.wait_for_url("**/view/")
    assert page.locator(".viewer img").evaluate("img => img.naturalWidth") == 1
    assert page.locator(".compare img.thumb").count() == 2
    shot(page, "evidence-viewer-phone")


def test_pickers_fill_the_fields(world, cases, open_as):
    page = open_as("office", locale="zh-CN")
    page.set_viewport_size(DESKTOP)
    page.goto("/hazards/new/")
    page.fill("#id_enterprise", "大连乙")
    page.locator(f'[data-pick="{world.enterprise_b.pk}"]').click()
    assert page.locator("input[name=enterprise]").input_value() == str(world.enterprise_b.pk)
    page.goto("/accidents/new/")
    page.locator(".picker-panel > summary").click()
    page.locator("[data-pick='210200']").click()
    page.locator(".picker-panel > summary").click()
    page.locator(".region-tree details summary").first.click()
    page.locator("[data-pick='210202']").click()
    assert page.locator("#id_region").input_value() == "210202"


def test_copy_key_screens_for_the_readme(world, cases, open_as, shot):
    """A handful of small phone screenshots for the README; WORKSAFE_UPDATE_SCREENSHOTS=1 copies
    them to docs/screenshots/."""
    from .conftest import SCREENSHOTS

    page = open_as("officer_a", phone=True, locale="zh-CN")
    page.set_viewport_size(PHONE)
    for name, url in (("home", "/"), ("hazards", "/hazards/"), ("hazard", f"/hazards/{cases['hazard'].pk}/")):
        page.goto(url)
        page.screenshot(path=str(SCREENSHOTS / f"readme-{name}.png"), scale="css")
    inspector = open_as("inspector", phone=True, locale="zh-CN")
    inspector.goto(f"/inspections/{cases['inspection'].pk}/")
    inspector.screenshot(path=str(SCREENSHOTS / "readme-inspection.png"), scale="css")
    if os.environ.get("WORKSAFE_UPDATE_SCREENSHOTS"):  # refresh the committed copies on request only
        for path in SCREENSHOTS.glob("readme-*.png"):
            shutil.copy(path, DOCS / path.name.removeprefix("readme-"))
