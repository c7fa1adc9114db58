"""Administrative divisions (domain.md §7.2): levels from codes, subtrees, the shipped data and
the regions API."""

import pytest

from worksafe.audit.models import Event
from worksafe.regions.models import (
    Level,
    Region,
    in_subtree,
    level_of,
    parent_code,
    subtree_prefix,
    subtree_range,
)

URL = "/api/v1/regions"


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("210000", Level.PROVINCE),
        ("210200", Level.PREFECTURE),
        ("210202", Level.COUNTY),
        ("210281", Level.COUNTY),
        ("429004", Level.COUNTY),  # PP90xx: province-administered county-level unit
        ("420115001", Level.TOWNSHIP),
        ("420115100", Level.TOWNSHIP),
    ],
)
def test_level_of(code, level):
    assert level_of(code) == level


@pytest.mark.parametrize(
    ("code", "inside", "outside"),
    [
        ("210000", ["210000", "210200", "210202", "210202001", "219900"], ["200000", "220000", "230100"]),
        ("210200", ["210200", "210202", "210283", "210211001"], ["210100", "210300", "210000"]),
        ("210202", ["210202", "210202001", "210202100"], ["210203", "210201", "210200", "210203001"]),
        ("429004", ["429004", "429004001"], ["429005", "420000", "429000", "420115"]),
        ("420115001", ["420115001"], ["420115002", "420115", "420115000"]),
        ("290000", ["290000", "299999"], ["300000", "280000"]),  # range end after a 9 carries
    ],
)
def test_subtree_boundaries(code, inside, outside):
    low, high = subtree_range(code)
    for c in inside:
        assert low <= c < high, c
    for c in outside:
        assert not (low <= c < high), c


@pytest.mark.parametrize(
    ("code", "parent"),
    [
        ("210000", None),
        ("210200", "210000"),
        ("210202", "210200"),
        ("429004", "420000"),
        ("420115001", "420115"),
        ("442000001", "442000"),  # a prefecture-level city without counties: streets under the city
    ],
)
def test_parent_code(code, parent):
    assert parent_code(code) == parent


def test_admin_adds_a_province_administered_county_under_the_province(world, api):
    r = api(world.admin).post(URL, {"code": "429004", "name": "仙桃市", "parent": "420000"})
    assert r.status_code == 201, r.content
    assert r.json()["level"] == "county"
    r = api(world.admin).post(URL, {"code": "429005", "name": "潜江市", "parent": "420100"})
    assert r.status_code == 422
    assert "420000" in r.json()["errors"]["parent"][0]


def test_subtree_prefix_by_level():
    assert subtree_prefix("210000") == "21"
    assert subtree_prefix("210200") == "2102"
    assert subtree_prefix("210202") == "210202"
    assert subtree_prefix("420115001") == "420115001"


def test_in_subtree_as_a_query(db):
    codes = set(Region.objects.filter(in_subtree("code", "420115")).values_list("code", flat=True))
    assert "420115" in codes
    assert "420115001" in codes
    assert all(c.startswith("420115") for c in codes)
    assert Region.objects.get(code="210000").contains("210283")
    assert not Region.objects.get(code="210200").contains("230100")


def test_shipped_data(db):
    assert Region.objects.get(code="210000").name == "辽宁省"
    assert Region.objects.filter(parent_id="210000").count() == 14
    dalian = set(Region.objects.filter(parent_id="210200").values_list("code", flat=True))
    assert dalian == {
        "210202", "210203", "210204", "210211", "210212", "210213", "210214", "210224", "210281", "210283",
    }  # fmt: skip
    assert Region.objects.filter(parent_id="230000").count() == 13
    jiangxia = Region.objects.filter(parent_id="420115")
    assert jiangxia.filter(code="420115001", name="纸坊街道").exists()
    assert all(r.level == Level.TOWNSHIP for r in jiangxia)
    # Every stored level agrees with the code, and every parent is an ancestor.
    for region in Region.objects.all():
        assert region.level == level_of(region.code)
        if region.parent_id:
            assert region.code.startswith(subtree_prefix(region.parent_id))


def test_list_top_level_and_children(world, api):
    client = api(world.officer_a)
    top = client.get(URL).json()["items"]
    liaoning = next(r for r in top if r["code"] == "210000")
    assert {k: liaoning[k] for k in ("code", "name", "level", "parent")} == {
        "code": "210000",
        "name": "辽宁省",
        "level": "province",
        "parent": None,
    }
    assert all(r["parent"] is None and r["level"] == "province" for r in top)
    assert {r["code"] for r in top} >= {"210000", "230000", "420000"}
    children = client.get(URL, parent="210200").json()
    assert children["next"] is None
    assert [r["code"] for r in children["items"]][:3] == ["210202", "210203", "210204"]
    assert all(r["parent"] == "210200" and r["level"] == "county" for r in children["items"])
    streets = client.get(URL, parent="420115").json()["items"]
    assert streets and all(r["level"] == "township" for r in streets)


def test_list_with_unknown_parent_is_404(world, api):
    r = api(world.officer_a).get(URL, parent="999999")
    assert r.status_code == 404
    assert api(world.officer_a).get(URL, parent="x" * 5000).status_code == 404


def test_get_one(world, api):
    r = api(world.leader).get(f"{URL}/210211")
    assert r.json()["name"] == "甘井子区"
    assert r.json()["parent"] == "210200"
    assert api(world.leader).get(f"{URL}/000000").status_code == 404


def test_regions_need_authentication(db, api):
    assert api(None).get(URL).status_code == 401


def test_admin_adds_a_region(world, api):
    r = api(world.admin).post(URL, {"code": "210202999", "name": "测试街道", "parent": "210202"})
    assert r.status_code == 201, r.content
    assert r.json()["level"] == "township"
    assert Region.objects.get(code="210202999").parent_id == "210202"
    assert Event.objects.for_subject("region", "210202999").get().actor_id == world.admin.pk


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"code": "21020", "name": "x", "parent": "210200"}, "code"),
        ({"code": "2102029999", "name": "x", "parent": "210202"}, "code"),
        ({"code": "21020a", "name": "x", "parent": "210200"}, "code"),
        ({"code": "210202", "name": "x", "parent": "210200"}, "code"),  # exists
        ({"code": "210299", "name": "x", "parent": "999999"}, "parent"),  # unknown parent
        ({"code": "210299", "name": "x", "parent": "230100"}, "parent"),  # not an ancestor
        ({"code": "210299", "name": "x", "parent": "210000"}, "parent"),  # skips the prefecture
        ({"code": "210202998", "name": "x", "parent": "210200"}, "parent"),  # skips the county
        ({"code": "290000", "name": "x", "parent": "210000"}, "parent"),  # a province has none
        ({"code": "210299", "name": "x"}, "parent"),  # only a province has no parent
        ({"code": "210299", "name": "x", "parent": "210299"}, "parent"),
        ({"code": "210299", "name": "   ", "parent": "210200"}, "name"),
        ({"code": "210299", "name": "x" * 101, "parent": "210200"}, "name"),
    ],
)
def test_admin_bad_region_is_422_naming_the_field(world, api, payload, field):
    r = api(world.admin).post(URL, payload)
    assert r.status_code == 422, r.content
    assert field in r.json()["errors"]
    assert not Region.objects.filter(code="210299").exists()


@pytest.mark.parametrize("who", ["office", "leader", "inspector", "officer_a", "expert"])
def test_non_admin_may_not_add_regions(world, api, who):
    r = api(getattr(world, who)).post(URL, {"code": "210299", "name": "x", "parent": "210200"})
    assert r.status_code == 403
    assert not Region.objects.filter(code="210299").exists()
