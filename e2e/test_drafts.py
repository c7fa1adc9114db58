"""Form drafts kept in the browser belong to the person who typed them (outside attack S11)."""

import pytest

from .conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SECRET = "储罐区泄漏，张三受伤"  # what officer A typed and officer B must never see


def sign_in(page, live_server, username: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def drafts(page) -> dict:
    return page.evaluate(
        "() => Object.fromEntries(Object.keys(localStorage)"
        ".filter(k => k.startsWith('worksafe-draft:')).map(k => [k, localStorage.getItem(k)]))"
    )


@pytest.fixture
def shared_browser(browser, live_server):
    """One browser profile, as on a shared office computer or phone."""
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    yield context.new_page()
    context.close()


def test_s11_sign_out_forgets_drafts_and_the_next_user_sees_an_empty_form(world, shared_browser, live_server):
    page = shared_browser
    sign_in(page, live_server, "officer_a")
    page.goto("/accidents/new/")
    page.fill("#id_summary", SECRET)
    kept = drafts(page)
    assert len(kept) == 1 and SECRET in next(iter(kept.values()))
    (key,) = kept
    assert "officer_a" not in key and str(world.officer_a.pk) not in key.split(":")  # no name in clear
    page.reload()
    assert page.input_value("#id_summary") == SECRET  # the draft still does its job

    page.click("form[action='/logout/'] button[type=submit]")
    page.wait_for_load_state()
    assert drafts(page) == {}

    sign_in(page, live_server, "officer_b")
    page.goto("/accidents/new/")
    assert page.input_value("#id_summary") == ""


def test_s11_another_users_drafts_are_dropped_when_they_never_signed_out(world, shared_browser, live_server):
    page = shared_browser
    sign_in(page, live_server, "officer_a")
    page.goto("/accidents/new/")
    page.fill("#id_summary", SECRET)
    page.goto("/")
    assert len(drafts(page)) == 1
    page.context.clear_cookies()  # the session ended without signing out (timeout, closed tab)

    sign_in(page, live_server, "officer_b")
    assert drafts(page) == {}
    page.goto("/accidents/new/")
    assert page.input_value("#id_summary") == ""
