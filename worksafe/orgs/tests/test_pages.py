"""Account pages: who may open and submit each, scope, bad input, the audit trail, and the same
answer as the API for the same person."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from worksafe.audit.models import Event
from worksafe.orgs.models import ApiToken, Organization, User
from worksafe.orgs.services import token_issue
from worksafe.orgs.uscc import make_code
from worksafe.regions.models import Region

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "Quiet-river-2026"
READ_ONLY = ["officer_a", "inspector", "leader"]


def events(action: str, subject_type: str = "user"):
    return Event.objects.filter(subject_type=subject_type, action=action)


def new_officer(world, **extra) -> dict:
    return {
        "username": "wang.wu",
        "name": "王五",
        "role": "enterprise_officer",
        "organization": world.enterprise_a.pk,
        "password": NEW_PASSWORD,
        "must_change_password": "on",
        **extra,
    }


def new_enterprise(**extra) -> dict:
    return {
        "kind": "enterprise",
        "name": "大连戊化工有限公司",
        "region": "210202",
        "status": "operating",
        "uscc": make_code("91210202", "77777777"),
        "industry": "gas",
        **extra,
    }


# --- users -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "office"])
def test_admin_and_office_create_an_enterprise_officer(page, world, who):
    client = page(getattr(world, who))
    shown = client.get(reverse("orgs:user_create"), {"organization": world.enterprise_a.pk})
    assert shown.status_code == 200
    assert f'<option value="{world.enterprise_a.pk}" selected' in shown.content.decode()
    r = client.post(reverse("orgs:user_create"), new_officer(world))
    assert r.status_code == 302, r.content.decode()[:2000]
    person = User.objects.get(username="wang.wu")
    assert (person.organization, person.role, person.must_change_password) == (
        world.enterprise_a,
        "enterprise_officer",
        True,
    )
    assert person.check_password(NEW_PASSWORD)
    assert events("create").filter(subject_id=str(person.pk), actor=getattr(world, who)).count() == 1


def test_office_is_offered_only_what_it_may_create(page, world):
    html = page(world.office).get(reverse("orgs:user_create")).content.decode()
    assert 'value="enterprise_officer"' in html and 'value="inspector"' not in html
    assert str(world.enterprise_a.name) in html
    assert world.dept_em.name not in html and world.enterprise_h.name not in html


def test_office_outside_its_area_cannot_place_a_user(page, world):
    r = page(world.office_gjz).post(reverse("orgs:user_create"), new_officer(world))
    assert r.status_code == 422
    assert "Unknown organization." in r.content.decode()
    assert not User.objects.filter(username="wang.wu").exists()


@pytest.mark.parametrize("who", READ_ONLY)
@pytest.mark.parametrize("url", ["orgs:home", "orgs:user_list", "orgs:user_create"])
def test_other_roles_get_403_on_user_pages(page, world, who, url):
    client = page(getattr(world, who))
    assert client.get(reverse(url)).status_code == 403
    assert client.post(reverse(url), new_officer(world)).status_code == 403
    assert not User.objects.filter(username="wang.wu").exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"username": "officer_a"}, "This username is taken."),
        ({"password": "short1"}, "too short"),
        ({"password": "onlyletterspassword"}, "at least one letter and at least one digit"),
        ({"role": "inspector"}, "This role cannot belong"),
        ({"organization": ""}, "Every user except an administrator"),
    ],
)
def test_bad_user_input_names_the_field_and_changes_nothing(page, world, extra, field):
    before = User.objects.count()
    r = page(world.admin).post(reverse("orgs:user_create"), new_officer(world, **extra))
    assert r.status_code == 422
    assert field in r.content.decode()
    assert User.objects.count() == before
    assert not events("create").exists()


def test_admin_edits_role_organization_and_active_flag(page, world):
    client = page(world.admin)
    url = reverse("orgs:user_edit", args=[world.officer_a.pk])
    assert client.get(url).status_code == 200
    r = client.post(url, {"name": "刘安全员", "role": "inspector", "organization": world.dept_em.pk})
    assert r.status_code == 302
    person = User.objects.get(pk=world.officer_a.pk)
    assert (person.name, person.role, person.organization, person.is_active) == (
        "刘安全员",
        "inspector",
        world.dept_em,
        False,
    )
    event = events("update").get(subject_id=str(person.pk))
    assert event.data["changed"]["is_active"] == [True, False]
    # The deactivated account can no longer use its session.
    assert page(person).get(reverse("orgs:profile")).status_code == 302


def test_office_edits_its_enterprise_officers_only(page, world):
    client = page(world.office)
    url = reverse("orgs:user_edit", args=[world.officer_a.pk])
    data = {
        "name": "刘安全员",
        "role": "enterprise_officer",
        "organization": world.enterprise_a.pk,
        "is_active": "on",
    }
    assert client.post(url, data).status_code == 302
    assert User.objects.get(pk=world.officer_a.pk).name == "刘安全员"
    # An inspector in its area is visible but not its to manage; Harbin's officer is out of scope.
    inspector_url = reverse("orgs:user_edit", args=[world.inspector.pk])
    assert client.get(inspector_url).status_code == 403
    assert client.post(inspector_url, data).status_code == 403
    harbin_url = reverse("orgs:user_edit", args=[world.officer_h.pk])
    assert client.get(harbin_url).status_code == 404
    assert client.post(harbin_url, data).status_code == 404
    assert User.objects.get(pk=world.officer_h.pk).name == "officer_h"


def test_office_cannot_promote_an_officer(page, world):
    url = reverse("orgs:user_edit", args=[world.officer_a.pk])
    r = page(world.office).post(
        url, {"role": "office", "organization": world.committee.pk, "is_active": "on"}
    )
    assert r.status_code == 403
    assert User.objects.get(pk=world.officer_a.pk).role == "enterprise_officer"


def test_admin_cannot_deactivate_themselves(page, world):
    url = reverse("orgs:user_edit", args=[world.admin.pk])
    r = page(world.admin).post(url, {"role": "admin"})
    assert r.status_code == 403
    assert User.objects.get(pk=world.admin.pk).is_active


@pytest.mark.parametrize("who", READ_ONLY)
def test_other_roles_get_403_on_user_edit(page, world, who):
    url = reverse("orgs:user_edit", args=[world.officer_a.pk])
    client = page(getattr(world, who))
    assert client.get(url).status_code == 403
    assert client.post(url, {"role": "admin"}).status_code == 403
    assert User.objects.get(pk=world.officer_a.pk).role == "enterprise_officer"


# --- password reset ------------------------------------------------------------------------


def test_office_resets_a_password_shown_once_and_the_user_must_change_it(page, world):
    raw, _token = token_issue(username="officer_a", password=PASSWORD)
    client = page(world.office)
    url = reverse("orgs:user_reset", args=[world.officer_a.pk])
    assert client.get(url).status_code == 200
    r = client.post(url)
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    temporary = r.context["temporary_password"]
    assert temporary in r.content.decode()
    person = User.objects.get(pk=world.officer_a.pk)
    assert person.check_password(temporary) and person.must_change_password
    assert not ApiToken.objects.filter(user=person, revoked_at__isnull=True).exists()
    assert events("password_reset").get(subject_id=str(person.pk)).actor == world.office
    assert temporary not in str(Event.objects.values_list("data", flat=True)[::1])

    # At the next login every page leads to the password form until it is changed.
    officer = Client()
    assert officer.login(username="officer_a", password=temporary)
    home = officer.get(reverse("web:home"))
    assert home.status_code == 302 and home["Location"] == reverse("orgs:password_change")
    r = officer.post(
        reverse("orgs:password_change"),
        {"old_password": temporary, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert r.status_code == 302
    assert officer.get(reverse("web:home")).status_code == 200
    assert not User.objects.get(pk=person.pk).must_change_password


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [("office", "officer_h", 404), ("office", "inspector", 403), ("office", "office", 403)]
    + [(who, "officer_a", 403) for who in READ_ONLY],
)
def test_reset_refused(page, world, who, target, status):
    url = reverse("orgs:user_reset", args=[getattr(world, target).pk])
    client = page(getattr(world, who))
    assert client.get(url).status_code == status
    assert client.post(url).status_code == status
    assert User.objects.get(pk=getattr(world, target).pk).check_password(PASSWORD)
    assert not events("password_reset").exists()


# --- own password and profile --------------------------------------------------------------


def test_everyone_changes_their_own_password_with_the_validators(page, world):
    client = page(world.inspector)
    url = reverse("orgs:password_change")
    assert client.get(url).status_code == 200
    weak = {"old_password": PASSWORD, "new_password1": "abcdefghijkl", "new_password2": "abcdefghijkl"}
    r = client.post(url, weak)
    assert r.status_code == 422
    assert "at least one letter and at least one digit" in r.content.decode()
    assert User.objects.get(pk=world.inspector.pk).check_password(PASSWORD)
    wrong = {"old_password": "nope-1234567", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(url, wrong).status_code == 422
    r = client.post(url, {**wrong, "old_password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == reverse("orgs:profile")
    assert User.objects.get(pk=world.inspector.pk).check_password(NEW_PASSWORD)
    assert events("password_change").get().actor == world.inspector
    assert client.get(reverse("orgs:profile")).status_code == 200  # still signed in here


def test_password_page_in_chinese(page, world):
    client = page(world.officer_a)
    with translation.override("zh-hans"):
        html = client.get(reverse("orgs:password_change"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "修改密码" in html


def test_profile_shows_scope_and_live_tokens_and_revokes_one(page, world):
    raw, token = token_issue(username="inspector", password=PASSWORD)
    client = page(world.inspector)
    html = client.get(reverse("orgs:profile")).content.decode()
    for text in ("inspector", world.dept_em.name, "Hazardous chemicals", "Industry and trade", token.prefix):
        assert text in html
    r = client.post(reverse("orgs:token_revoke", args=[token.pk]))
    assert r.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert events("token_revoke").get().actor == world.inspector
    assert token.prefix not in client.get(reverse("orgs:profile")).content.decode()
    # Another person's token is unknown, and a GET changes nothing.
    _raw, other = token_issue(username="officer_a", password=PASSWORD)
    assert client.post(reverse("orgs:token_revoke", args=[other.pk])).status_code == 404
    assert client.get(reverse("orgs:token_revoke", args=[other.pk])).status_code == 405
    assert ApiToken.objects.get(pk=other.pk).revoked_at is None


# --- organizations -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "office"])
def test_admin_and_office_register_an_enterprise(page, world, who):
    client = page(getattr(world, who))
    assert client.get(reverse("orgs:organization_create")).status_code == 200
    r = client.post(reverse("orgs:organization_create"), new_enterprise())
    assert r.status_code == 302, r.content.decode()[:3000]
    org = Organization.objects.get(name="大连戊化工有限公司")
    assert (org.kind, org.region_id, org.industry) == ("enterprise", "210202", "gas")
    assert events("create", "organization").get(subject_id=str(org.pk)).actor == getattr(world, who)


def test_admin_registers_a_department_with_industries_and_penalty_power(page, world):
    data = {
        "kind": "department",
        "name": "大连市交通运输局",
        "region": "210200",
        "status": "operating",
        "industries": ["road_transport", "waterway_transport"],
        "can_penalize": "on",
    }
    r = page(world.admin).post(reverse("orgs:organization_create"), data)
    assert r.status_code == 302
    org = Organization.objects.get(name="大连市交通运输局")
    assert org.industries == ["road_transport", "waterway_transport"] and org.can_penalize


def test_a_failing_credit_code_needs_the_admin_override_on_record(page, world):
    bad = make_code("91210202", "66666666")[:-1] + "0"
    bad = bad if bad != make_code("91210202", "66666666") else bad[:-1] + "1"
    client = page(world.admin)
    r = client.post(reverse("orgs:organization_create"), new_enterprise(uscc=bad))
    assert r.status_code == 422 and "check character" in r.content.decode()
    assert not Organization.objects.filter(uscc=bad).exists()
    r = client.post(
        reverse("orgs:organization_create"), new_enterprise(uscc=bad, uscc_override_reason="早期试点代码")
    )
    assert r.status_code == 302
    org = Organization.objects.get(uscc=bad)
    assert org.uscc_override_reason == "早期试点代码"
    assert events("create", "organization").get(subject_id=str(org.pk)).data["uscc_override_reason"]
    # An office is not offered the override, and sending it is refused on the field.
    assert (
        'name="uscc_override_reason"'
        not in page(world.office).get(reverse("orgs:organization_create")).content.decode()
    )


@pytest.mark.parametrize(
    ("extra", "text"),
    [
        ({"uscc": "91210202MA0QXXXXX"}, "18 characters"),
        ({"industry": ""}, "Choose one of the industry codes."),
        ({"name": ""}, "This field is required."),
        ({"region": "999999"}, "Select a valid choice"),
    ],
)
def test_bad_organization_input_names_the_field_and_changes_nothing(page, world, extra, text):
    before = Organization.objects.count()
    r = page(world.office).post(reverse("orgs:organization_create"), new_enterprise(**extra))
    assert r.status_code == 422
    assert text in r.content.decode()
    assert Organization.objects.count() == before
    assert not events("create", "organization").exists()


def test_office_edits_its_enterprises_not_departments_nor_other_areas(page, world):
    client = page(world.office)
    url = reverse("orgs:organization_edit", args=[world.enterprise_a.pk])
    shown = client.get(url)
    assert shown.status_code == 200 and world.officer_a.username in shown.content.decode()
    data = new_enterprise(
        name="大连甲化工股份有限公司", uscc=world.enterprise_a.uscc, industry="hazardous_chemicals", version=1
    )
    assert client.post(url, data).status_code == 302
    org = Organization.objects.get(pk=world.enterprise_a.pk)
    assert (org.name, org.version) == ("大连甲化工股份有限公司", 2)
    event = events("update", "organization").get(subject_id=str(org.pk))
    assert event.data["changed"]["name"] == ["大连甲化工有限公司", "大连甲化工股份有限公司"]
    # The same stale form again changes nothing.
    r = client.post(url, {**data, "name": "旧名"})
    assert r.status_code == 422 and Organization.objects.get(pk=org.pk).name == "大连甲化工股份有限公司"
    dept_url = reverse("orgs:organization_edit", args=[world.dept_em.pk])
    assert client.get(dept_url).status_code == 403
    assert client.post(dept_url, {"name": "x", "version": 1}).status_code == 403
    harbin_url = reverse("orgs:organization_edit", args=[world.enterprise_h.pk])
    assert client.get(harbin_url).status_code == 404
    assert client.post(harbin_url, {"name": "x", "version": 1}).status_code == 404
    assert Organization.objects.get(pk=world.enterprise_h.pk).name == "哈尔滨丁化工有限公司"


@pytest.mark.parametrize("who", READ_ONLY)
def test_other_roles_get_403_on_organization_pages(page, world, who):
    client = page(getattr(world, who))
    edit = reverse("orgs:organization_edit", args=[world.enterprise_a.pk])
    for url in (reverse("orgs:organization_list"), reverse("orgs:organization_create"), edit):
        assert client.get(url).status_code == 403
        assert client.post(url, new_enterprise()).status_code == 403
    assert not Organization.objects.filter(name="大连戊化工有限公司").exists()


# --- lists ---------------------------------------------------------------------------------


def test_lists_are_scoped_and_searchable(page, world):
    office = page(world.office_gjz)
    html = office.get(reverse("orgs:organization_list")).content.decode()
    assert world.enterprise_b.name in html and world.enterprise_a.name not in html
    admin = page(world.admin)
    found = admin.get(reverse("orgs:organization_list"), {"q": world.enterprise_h.uscc[-6:]}).content.decode()
    assert world.enterprise_h.name in found and world.enterprise_a.name not in found
    people = office.get(reverse("orgs:user_list")).content.decode()
    assert "officer_b" in people and "officer_a" not in people and "officer_h" not in people
    found = admin.get(
        reverse("orgs:user_list"), {"q": "officer_", "role": "enterprise_officer"}
    ).content.decode()
    assert "officer_h" in found and "inspector" not in found.split("<tbody>")[1]


def test_lists_page_with_a_cursor_and_fixed_queries(page, world, django_assert_max_num_queries):
    for i in range(30):
        User.objects.create(
            username=f"clerk{i:02d}", role="enterprise_officer", organization=world.enterprise_b
        )
    client = page(world.admin)
    with django_assert_max_num_queries(8):
        first = client.get(reverse("orgs:user_list"))
    cursor = first.context["next_cursor"]
    assert cursor and len(first.context["people"]) == 25
    more = client.get(reverse("orgs:user_list"), {"cursor": cursor}, HTTP_HX_REQUEST="true")
    assert "<tr" in more.content.decode() and "<html" not in more.content.decode()
    assert client.get(reverse("orgs:user_list"), {"cursor": "garbage"}).status_code == 200


# --- regions -------------------------------------------------------------------------------


def test_admin_adds_and_renames_a_region(page, world):
    client = page(world.admin)
    assert client.get(reverse("regions:list"), {"parent": "210200"}).status_code == 200
    r = client.post(reverse("regions:create"), {"code": "210299", "name": "测试区", "parent": "210200"})
    assert r.status_code == 302
    assert Region.objects.get(code="210299").level == "county"
    r = client.post(reverse("regions:edit", args=["210299"]), {"name": "试验区", "edition": "2024"})
    assert r.status_code == 302
    region = Region.objects.get(code="210299")
    assert (region.name, region.edition, region.parent_id) == ("试验区", "2024", "210200")
    assert list(events("update", "region").values_list("subject_id", flat=True)) == ["210299"]


def test_bad_region_input_names_the_field(page, world):
    r = page(world.admin).post(reverse("regions:create"), {"code": "210299", "name": "x", "parent": "230000"})
    assert r.status_code == 422 and "The parent of 210299 is 210200." in r.content.decode()
    assert not Region.objects.filter(code="210299").exists()
    r = page(world.admin).post(reverse("regions:edit", args=["210200"]), {"name": ""})
    assert r.status_code == 422 and Region.objects.get(code="210200").name != ""
    assert page(world.admin).get(reverse("regions:edit", args=["999999"])).status_code == 404


@pytest.mark.parametrize("who", ["office", *READ_ONLY])
def test_only_the_admin_works_regions(page, world, who):
    client = page(getattr(world, who))
    for url in (reverse("regions:list"), reverse("regions:create"), reverse("regions:edit", args=["210200"])):
        assert client.get(url).status_code == 403
        assert client.post(url, {"code": "210299", "name": "x", "parent": "210200"}).status_code == 403
    assert not Region.objects.filter(code="210299").exists()


# --- page and API agree --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "extra"),
    [
        ("admin", {}),
        ("office", {}),
        ("office", {"role": "office", "organization": "committee"}),
        ("office_gjz", {}),
        ("leader", {}),
        ("inspector", {}),
        ("officer_a", {}),
        ("admin", {"password": "short1"}),
    ],
)
def test_page_and_api_answer_user_creation_alike(page, world, api, who, extra):
    if "organization" in extra:
        extra["organization"] = getattr(world, extra["organization"]).pk
    actor = getattr(world, who)
    payload = new_officer(world, **extra)
    shown = page(actor).post(reverse("orgs:user_create"), payload)
    created_by_page = User.objects.filter(username="wang.wu").exists()
    User.objects.filter(username="wang.wu").delete()
    body = {k: v for k, v in payload.items() if k != "must_change_password"}
    answer = api(actor).post("/api/v1/users", body)
    created_by_api = User.objects.filter(username="wang.wu").exists()
    assert created_by_page == created_by_api
    assert {302: 201}.get(shown.status_code, shown.status_code) == answer.status_code


@pytest.mark.parametrize(
    ("who", "extra"),
    [
        ("admin", {}),
        ("office", {}),
        ("office_gjz", {}),  # Zhongshan is outside Ganjingzi
        ("office", {"kind": "department"}),
        ("leader", {}),
        ("officer_a", {}),
        ("office", {"uscc": "123"}),
    ],
)
def test_page_and_api_answer_organization_creation_alike(page, world, api, who, extra):
    actor = getattr(world, who)
    payload = new_enterprise(**extra)
    shown = page(actor).post(reverse("orgs:organization_create"), payload)
    created_by_page = Organization.objects.filter(name=payload["name"]).exists()
    Organization.objects.filter(name=payload["name"]).delete()
    answer = api(actor).post("/api/v1/organizations", {k: v for k, v in payload.items() if k != "status"})
    created_by_api = Organization.objects.filter(name=payload["name"]).exists()
    assert created_by_page == created_by_api
    assert {302: 201}.get(shown.status_code, shown.status_code) == answer.status_code


# --- admin site ----------------------------------------------------------------------------


def test_admin_site_is_branded_and_translated(page, world):
    client = page(world.admin)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "WorkSafe administration" in html and "Django administration" not in html
    with translation.override("zh-hans"):
        client.cookies["django_language"] = "zh-hans"
        html = client.get("/admin/").content.decode()
    for text in ("安全监管平台管理", "登录保护", "后台任务", "审计日志", "访问尝试"):
        assert text in html, text
    assert "Django 管理" not in html
