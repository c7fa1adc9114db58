"""The closed loop of a hidden danger, in a real browser, as the people who work it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from worksafe.hazards.models import Hazard
from worksafe.testing import PNG

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def photo(name: str) -> dict:
    return {"name": name, "mimeType": "image/png", "buffer": PNG}


def tile(page, key: str) -> int:
    return int(page.locator(f'a.tile[data-count="{key}"] .count').inner_text().strip())


def facts(page) -> str:
    return page.locator("dl.facts").first.inner_text()


def act(page, action: str, **fields) -> None:
    form = page.locator(f"form.action-{action}")
    for name, value in fields.items():
        form.locator(f"#{action}_{name}").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize(
    "username", ["admin", "office", "leader", "office_gjz", "inspector", "officer_a", "expert"]
)
def test_each_role_logs_in(world, open_as, shot, username):
    page = open_as(username)
    expect(page.locator("a.who")).to_have_text(re.compile(f"^{username} · "))
    expect(page.locator("h1").first).to_be_visible()
    assert page.locator("a.tile").count() >= 1
    shot(page, f"home-{username}")


def test_wrong_password_shows_an_error(world, browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.goto("/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", "not-the-password-1")
    page.click("main form button[type=submit]")
    expect(page.locator("[role=alert]")).to_be_visible()
    assert page.url.endswith("/login/")
    context.close()


def test_hazard_closed_loop(world, open_as, shot, live_server):
    office = open_as("office")
    open_before = tile(office, "open")

    # An enterprise officer reports a hidden danger with a photo, on a phone.
    officer = open_as("officer_a", phone=True)
    officer.goto("/hazards/new/")
    officer.fill("#id_title", "二号储罐区可燃气体报警器失效")
    officer.fill("#id_description", "巡检发现报警器无响应。")
    officer.fill("#id_location", "二号储罐区")
    officer.select_option("#id_level", "general")
    officer.fill("#id_due_date", (timezone.localdate() + timedelta(days=7)).isoformat())
    officer.fill("#id_responsible_person", "刘安全员")
    officer.set_input_files("#id_file", photo("before.png"))
    shot(officer, "hazard-report-form-phone")
    officer.click("main form button[type=submit]")
    officer.wait_for_url(re.compile(r"/hazards/\d+/"))
    hazard_url = officer.url.split("?")[0]
    hazard_path = hazard_url.removeprefix(live_server.url)
    assert officer.locator("h1").inner_text() == "二号储罐区可燃气体报警器失效"
    assert "Reported" in facts(officer)
    assert officer.locator("#evidence img.thumb").count() == 1
    assert officer.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    shot(officer, "hazard-reported-phone")

    office.goto("/")
    assert tile(office, "open") == open_before + 1
    shot(office, "office-home-after-report")

    # The inspector assigns it.
    inspector = open_as("inspector")
    inspector.goto(hazard_path)
    act(
        inspector,
        "assign",
        due_date=(timezone.localdate() + timedelta(days=10)).isoformat(),
        responsible_person="刘安全员",
        note="限期整改",
    )
    assert "Rectifying" in facts(inspector)
    shot(inspector, "hazard-assigned")

    # The officer uploads the after photo and submits the rectification.
    officer.goto(hazard_path)
    evidence_form = officer.locator("#evidence form")
    evidence_form.locator("select[name=kind]").select_option("after")
    evidence_form.locator("#evidence_file").set_input_files(photo("after.png"))
    evidence_form.locator("button[type=submit]").click()
    officer.wait_for_load_state()
    assert officer.locator("#evidence img.thumb").count() == 2
    act(officer, "submit", note="已更换报警器")
    assert "Pending acceptance" in facts(officer)

    # The inspector rejects once, with a reason.
    inspector.goto(hazard_path)
    act(inspector, "reject", note="照片不清晰，请补充")
    assert "Rectifying" in facts(inspector)
    assert "照片不清晰，请补充" in inspector.locator("#timeline").inner_text()

    # The officer submits again; the inspector accepts.
    officer.goto(hazard_path)
    act(officer, "submit", note="已补充清晰照片")
    inspector.goto(hazard_path)
    act(inspector, "accept", note="验收通过")
    assert "Closed" in facts(inspector)
    shot(inspector, "hazard-closed")

    # The office sees the open count back where it was.
    office.goto("/")
    assert tile(office, "open") == open_before
    shot(office, "office-home-after-close")

    # The same page in Chinese, switched from the page itself.
    officer.goto(hazard_path)
    officer.locator("summary.menu-toggle").click()  # on a phone the switch sits in the menu
    officer.locator('form.lang button[value="zh-hans"]').click()
    officer.wait_for_load_state()
    assert officer.locator("html").get_attribute("lang") == "zh-hans"
    body = officer.locator("main").inner_text()
    with translation.override("zh-hans"):
        expected = [str(Hazard.Status.CLOSED.label), gettext("Details"), gettext("Timeline")]
    for text in expected:
        assert re.search(r"[\u4e00-\u9fff]", text), f"{text!r} is not translated"
        assert text in body
    assert "已销号" in body  # 'Closed', as a Chinese reader sees it
    shot(officer, "hazard-closed-zh-hans-phone")

    # Another district's office cannot reach it by URL.
    other = open_as("office_gjz")
    response = other.goto(hazard_path)
    assert response.status == 404
    assert "二号储罐区" not in other.content()
    shot(other, "other-district-404")
