"""Lists of the register: every filter, keyset pagination, constant query counts; and stats."""

from datetime import timedelta

import pytest
from django.utils import timezone

from worksafe.audit.services import NewEvent, record_events
from worksafe.core.pagination import encode_cursor
from worksafe.hazards.models import Hazard

from .conftest import bring_to

URL = "/api/v1/hazards"


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {h["id"] for h in response.json()["items"]}


@pytest.fixture
def register(world):
    """A small register with known facts, by name."""
    w = world
    soon = timezone.localdate() + timedelta(days=5)
    h = {
        "a_general": w.make_hazard(title="储罐区报警器失效", due_date=soon),
        "a_major": w.make_hazard(level="major", title="装置区防爆电气损坏", location="二车间"),
        "a_self": w.make_hazard(source="self_check", actor=w.officer_a, title="消防通道堵塞"),
        "b_general": w.make_hazard(enterprise=w.enterprise_b, title="乙厂储罐泄漏"),
        "c_build": w.make_hazard(enterprise=w.enterprise_c, title="脚手架缺少连墙件", source="public_report"),
        "h_harbin": w.make_hazard(enterprise=w.enterprise_h, actor=w.outsider, title="哈尔滨储罐"),
    }
    bring_to(w, h["a_general"], Hazard.Status.RECTIFYING)
    bring_to(w, h["b_general"], Hazard.Status.CLOSED)
    # One open hazard already overdue: its due date moved into the past behind the service's back.
    Hazard.objects.filter(pk=h["c_build"].pk).update(due_date=timezone.localdate() - timedelta(days=2))
    return h


def pks(register, *names) -> set[int]:
    return {register[n].pk for n in names}


def test_every_filter(world, api, register):
    r = register
    client = api(world.office)
    dalian = pks(r, "a_general", "a_major", "a_self", "b_general", "c_build")
    assert ids(client.get(URL)) == dalian
    assert ids(client.get(URL, status="rectifying")) == pks(r, "a_general")
    assert ids(client.get(URL, status="closed")) == pks(r, "b_general")
    assert ids(client.get(URL, level="major")) == pks(r, "a_major")
    assert ids(client.get(URL, region="210211")) == pks(r, "b_general")
    assert ids(client.get(URL, region="210202")) == pks(r, "a_general", "a_major", "a_self", "c_build")
    assert ids(client.get(URL, region="210000")) == dalian  # a province contains the city
    assert ids(client.get(URL, region="230100")) == set()  # outside the caller's area: nothing
    assert ids(client.get(URL, industry="construction")) == pks(r, "c_build")
    assert ids(client.get(URL, enterprise=world.enterprise_b.pk)) == pks(r, "b_general")
    assert ids(client.get(URL, enterprise=world.enterprise_h.pk)) == set()
    assert ids(client.get(URL, source="self_check")) == pks(r, "a_self")
    assert ids(client.get(URL, source="public_report")) == pks(r, "c_build")
    assert ids(client.get(URL, overdue="true")) == pks(r, "c_build")
    assert ids(client.get(URL, overdue="false")) == dalian - pks(r, "c_build")
    assert ids(client.get(URL, q="储罐")) == pks(r, "a_general", "b_general")
    assert ids(client.get(URL, q="二车间")) == pks(r, "a_major")  # location
    assert ids(client.get(URL, q="丙建筑")) == pks(r, "c_build")  # enterprise name
    assert ids(client.get(URL, q=r["a_self"].number)) == pks(r, "a_self")
    assert ids(client.get(URL, q="100%_")) == set()
    assert ids(client.get(URL, status="reported", level="general", source="inspection")) == set()
    assert ids(client.get(URL, status="reported", level="major", region="210202")) == pks(r, "a_major")


def test_lists_are_scoped_per_role(world, api, register):
    r = register
    assert ids(api(world.inspector).get(URL)) == pks(r, "a_general", "a_major", "a_self", "b_general")
    assert ids(api(world.inspector_build).get(URL)) == pks(r, "c_build")
    assert ids(api(world.inspector_zs).get(URL)) == pks(r, "a_general", "a_major", "a_self")
    assert ids(api(world.office_gjz).get(URL)) == pks(r, "b_general")
    assert ids(api(world.officer_a).get(URL)) == pks(r, "a_general", "a_major", "a_self")
    assert ids(api(world.officer_b).get(URL)) == pks(r, "b_general")
    assert ids(api(world.outsider).get(URL)) == pks(r, "h_harbin")
    assert ids(api(world.expert).get(URL)) == set()
    assert len(ids(api(world.admin).get(URL))) == 6


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("outsider", "a_general"),
        ("office", "h_harbin"),
        ("office_gjz", "a_general"),
        ("inspector", "c_build"),
        ("inspector_zs", "b_general"),
        ("officer_a", "b_general"),
        ("officer_b", "a_self"),
        ("expert", "a_major"),
    ],
)
def test_out_of_scope_is_404_everywhere(world, api, register, who, name):
    client = api(getattr(world, who))
    hazard = register[name]
    for tail in ("", "/events", "/evidence"):
        r = client.get(f"{URL}/{hazard.pk}{tail}")
        assert r.status_code == 404, tail
        assert set(r.json()) == {"detail", "errors"}
    r = client.post(f"{URL}/{hazard.pk}/plan", {"version": hazard.version, "funds": "1"})
    assert r.status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "garbage!"}, "cursor"),
        ({"cursor": encode_cursor(5)[:-1] + "@@"}, "cursor"),
        ({"cursor": "a2Fib29t"}, "cursor"),  # base64 of "kaboom"
        ({"cursor": "LTE"}, "cursor"),  # base64 of "-1"
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"limit": -3}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"status": "open"}, "status"),
        ({"level": "huge"}, "level"),
        ({"region": "21"}, "region"),
        ({"industry": "banking"}, "industry"),
        ({"enterprise": "x"}, "enterprise"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_bad_list_parameters_are_422(world, api, params, field):
    r = api(world.office).get(URL, **params)
    assert r.status_code == 422, r.content
    assert field in r.json()["errors"]


def many(world, n: int, **fields) -> list[Hazard]:
    """n hazards of enterprise A written in one statement (numbers in their own series)."""
    today = timezone.localdate()
    start = Hazard.objects.count()
    rows = [
        Hazard(
            number=f"YH210202-{today.year}-T{start + i:05d}",
            enterprise=world.enterprise_a,
            region_id="210202",
            industry="hazardous_chemicals",
            title=f"隐患{i}",
            level="general",
            source="inspection",
            due_date=today + timedelta(days=i % 3 - 1),
            reported_by=world.office,
            **fields,
        )
        for i in range(n)
    ]
    return Hazard.objects.bulk_create(rows)


def test_keyset_pagination_walks_every_row_once(world, api):
    many(world, 7)
    client = api(world.office)
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = client.get(URL, **params).json()
        assert len(body["items"]) <= 2
        seen += [h["id"] for h in body["items"]]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            break
        # A row created mid-walk is newer than every cursor: it never shifts the remaining pages.
        if pages == 2:
            many(world, 1)
    expected = sorted(Hazard.objects.values_list("pk", flat=True), reverse=True)[1:]
    assert seen == expected
    assert len(set(seen)) == 7
    assert pages == 4


def test_exactly_full_last_page_has_no_next(world, api):
    many(world, 4)
    body = api(world.office).get(URL, limit=4).json()
    assert len(body["items"]) == 4
    assert body["next"] is None


@pytest.mark.parametrize("who", ["office", "inspector", "officer_a", "admin"])
def test_hazard_list_and_detail_query_counts_do_not_grow(
    world, api, who, count_queries, django_assert_max_num_queries
):
    client = api(getattr(world, who))
    client.get(URL)  # warm up: the token's first use writes last_used_at
    first = many(world, 5)
    small = count_queries(lambda: client.get(URL))
    many(world, 45)
    with django_assert_max_num_queries(small):
        body = client.get(URL).json()
    assert len(body["items"]) == 50
    with django_assert_max_num_queries(3):
        assert client.get(f"{URL}/{first[0].pk}").status_code == 200
    with django_assert_max_num_queries(small):
        assert client.get(URL, q="隐患", overdue="true", status="reported").status_code == 200


def test_events_query_count_does_not_grow(world, api, count_queries, django_assert_max_num_queries):
    hazard = world.make_hazard()
    client = api(world.office)
    client.get(URL)

    def add(n):
        record_events(
            NewEvent(subject_type="hazard", subject_id=hazard.pk, action="reminder", actor=world.office)
            for _ in range(n)
        )

    add(4)
    small = count_queries(lambda: client.get(f"{URL}/{hazard.pk}/events"))
    add(45)
    with django_assert_max_num_queries(small):
        body = client.get(f"{URL}/{hazard.pk}/events").json()
    assert len(body["items"]) == 50
    assert body["items"][0]["action"] == "create"


def test_organization_and_user_lists_query_counts_do_not_grow(
    world, api, count_queries, django_assert_max_num_queries
):
    from worksafe.orgs.models import Organization, Role
    from worksafe.testing import make_org, make_user

    client = api(world.admin)
    client.get("/api/v1/organizations")
    small_orgs = count_queries(lambda: client.get("/api/v1/organizations"))
    small_users = count_queries(lambda: client.get("/api/v1/users"))
    for i in range(40):
        org = make_org(kind=Organization.Kind.ENTERPRISE, name=f"企业{i}", region="210202")
        make_user(f"user{i}", role=Role.ENTERPRISE_OFFICER, organization=org)
    with django_assert_max_num_queries(small_orgs):
        assert len(client.get("/api/v1/organizations").json()["items"]) == 50
    with django_assert_max_num_queries(small_users):
        assert len(client.get("/api/v1/users").json()["items"]) == 50
    office = api(world.office)
    office.get("/api/v1/users")
    with django_assert_max_num_queries(small_users):
        assert office.get("/api/v1/users").status_code == 200
    with django_assert_max_num_queries(small_orgs):
        assert office.get("/api/v1/organizations").status_code == 200


# --- stats -----------------------------------------------------------------------------------

STATS = "/api/v1/stats/hazards"


def test_stats_match_hand_counts(world, api, register):
    body = api(world.office).get(STATS, region="210200").json()
    assert body == {
        "total": 5,
        "by_status": {"reported": 3, "rectifying": 1, "pending_acceptance": 0, "closed": 1, "cancelled": 0},
        "by_level": {"general": 4, "major": 1},
        "overdue": 1,
    }
    zs = api(world.office).get(STATS, region="210202").json()
    assert (zs["total"], zs["by_level"]["major"], zs["overdue"]) == (4, 1, 1)
    chem = api(world.office).get(STATS, region="210200", industry="hazardous_chemicals").json()
    assert chem["total"] == 4
    assert chem["overdue"] == 0
    empty = api(world.office).get(STATS, region="210283").json()
    assert empty["total"] == 0
    assert set(empty["by_status"]) == set(Hazard.Status.values)
    assert set(empty["by_level"]) == set(Hazard.Level.values)
    assert api(world.admin).get(STATS, region="210000").json()["total"] == 5
    assert api(world.admin).get(STATS, region="230000").json()["total"] == 1


def test_inspector_counts_only_its_industries(world, api, register):
    assert api(world.inspector).get(STATS, region="210200").json()["total"] == 4
    build = api(world.inspector_build).get(STATS, region="210200").json()
    assert build["total"] == 1
    assert build["by_status"]["reported"] == 1
    assert api(world.inspector_build).get(STATS, region="210200", industry="gas").json()["total"] == 0


@pytest.mark.parametrize(
    ("who", "region"),
    [("office", "230100"), ("office_gjz", "210202"), ("office_gjz", "210200"), ("inspector_zs", "210200")],
)
def test_stats_outside_the_callers_area_is_404(world, api, register, who, region):
    r = api(getattr(world, who)).get(STATS, region=region)
    assert r.status_code == 404


def test_stats_bad_input(world, api):
    client = api(world.office)
    assert client.get(STATS).status_code == 422
    r = client.get(STATS, region="abc")
    assert r.status_code == 422
    assert "region" in r.json()["errors"]
    assert client.get(STATS, region="210200", industry="banking").status_code == 422
    assert client.get(STATS, region="999999").status_code == 404


def test_enterprise_officer_stats_count_only_its_own(world, api, register):
    body = api(world.officer_a).get(STATS, region="210200").json()
    assert body["total"] == 3


def test_stats_query_count(world, api, register, django_assert_max_num_queries):
    client = api(world.office)
    client.get(STATS, region="210200")
    # token, region, and at most two aggregates (counts and overdue), whatever the data size
    with django_assert_max_num_queries(4):
        assert client.get(STATS, region="210200").status_code == 200
