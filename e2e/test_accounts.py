"""Accounts in a real browser, on a phone: the admin opens an account for a district office,
whose holder logs in and must choose their own password first."""

import pytest

from worksafe.audit.models import Event
from worksafe.orgs.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
INITIAL = "Harbour-lights-2026"
OWN = "Quiet-river-2027"


def test_admin_opens_a_district_office_account_and_its_holder_changes_the_password(
    world, open_as, browser, live_server, shot
):
    admin = open_as("admin", phone=True)
    admin.locator("summary.menu-toggle").click()  # on a phone the menu is folded
    admin.click("[data-nav=accounts]")
    admin.wait_for_url("**/accounts/users/")
    admin.click("text=New user")
    admin.fill("#id_username", "gjz.zhao")
    admin.fill("#id_name", "赵主任")
    admin.select_option("#id_role", "office")
    admin.select_option("#id_organization", str(world.committee_gjz.pk))
    admin.fill("#id_password", INITIAL)
    assert admin.is_checked("#id_must_change_password")
    assert admin.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    shot(admin, "accounts-new-user-phone")
    admin.click("main form button[type=submit]")
    admin.wait_for_url("**/accounts/users/*/")
    assert "gjz.zhao" in admin.locator("h1").inner_text()

    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **PHONE)
    page = context.new_page()
    page.goto("/login/")
    page.fill("#id_username", "gjz.zhao")
    page.fill("#id_password", INITIAL)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/accounts/password/")  # nothing else opens before the change
    assert "修改密码" in page.locator("h1").inner_text()
    page.fill("#id_old_password", INITIAL)
    page.fill("#id_new_password1", OWN)
    page.fill("#id_new_password2", OWN)
    shot(page, "accounts-password-change-phone")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/accounts/profile/")
    assert "甘井子区安委会办公室" in page.locator("dl.facts").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "accounts-profile-phone")
    page.goto("/")
    assert page.url == f"{live_server.url}/"
    context.close()

    person = User.objects.get(username="gjz.zhao")
    assert person.check_password(OWN) and not person.must_change_password
    assert Event.objects.filter(
        subject_type="user", subject_id=str(person.pk), action="password_change"
    ).exists()
