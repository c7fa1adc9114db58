import pytest
from django.urls import reverse


def test_enterprise_list_scoped(page, world):
    r = page(world.inspector).get(reverse("web:enterprise_list"))
    names = {e.name for e in r.context["enterprises"]}
    assert names == {world.enterprise_a.name, world.enterprise_b.name}  # chemicals in Dalian
    r = page(world.officer_a).get(reverse("web:enterprise_list"))
    assert [e.pk for e in r.context["enterprises"]] == [world.enterprise_a.pk]
    r = page(world.outsider).get(reverse("web:enterprise_list"))
    assert [e.pk for e in r.context["enterprises"]] == [world.enterprise_h.pk]


def test_enterprise_list_filters(page, world):
    client = page(world.office)
    r = client.get(reverse("web:enterprise_list"), {"industry": "construction"})
    assert [e.pk for e in r.context["enterprises"]] == [world.enterprise_c.pk]
    r = client.get(reverse("web:enterprise_list"), {"region": "210211"})
    assert [e.pk for e in r.context["enterprises"]] == [world.enterprise_b.pk]
    r = client.get(reverse("web:enterprise_list"), {"q": "甲化工"})
    assert [e.pk for e in r.context["enterprises"]] == [world.enterprise_a.pk]
    r = client.get(reverse("web:enterprise_list"), {"q": world.enterprise_b.uscc})
    assert [e.pk for e in r.context["enterprises"]] == [world.enterprise_b.pk]


@pytest.mark.parametrize(
    "params", [{"region": "1"}, {"industry": "nope"}, {"cursor": "%%%"}, {"q": "y" * 300}]
)
def test_enterprise_list_bad_input_never_500(page, world, params):
    assert page(world.office).get(reverse("web:enterprise_list"), params).status_code == 200


def test_enterprise_list_paging_with_htmx(page, world):
    from worksafe.testing import make_org

    for i in range(30):
        make_org(kind="enterprise", name=f"企业{i:02d}", region="210202")
    client = page(world.office)
    r = client.get(reverse("web:enterprise_list"))
    assert len(r.context["enterprises"]) == 25
    r = client.get(
        reverse("web:enterprise_list"), {"cursor": r.context["next_cursor"]}, headers={"HX-Request": "true"}
    )
    assert "<html" not in r.content.decode()
    assert r.content.decode().count('class="enterprise-row"') == 8  # 30 + A, B, C = 33


def test_enterprise_detail_profile_hazards_counts(page, world):
    world.make_hazard(title="甲隐患一")
    world.make_hazard(title="甲隐患二", level="major")
    world.make_hazard(enterprise=world.enterprise_b, title="乙隐患")
    r = page(world.office).get(reverse("web:enterprise_detail", args=[world.enterprise_a.pk]))
    assert r.status_code == 200
    body = r.content.decode()
    assert world.enterprise_a.uscc in body
    assert r.context["stats"]["total"] == 2 and r.context["stats"]["by_level"]["major"] == 1
    assert "甲隐患一" in body and "乙隐患" not in body


@pytest.mark.parametrize(
    "who,enterprise",
    [
        ("outsider", "enterprise_a"),
        ("office_gjz", "enterprise_a"),
        ("inspector_build", "enterprise_a"),
        ("officer_b", "enterprise_a"),
        ("inspector", "enterprise_c"),
        ("expert", "enterprise_a"),
    ],
)
def test_enterprise_detail_out_of_scope_is_404(page, world, who, enterprise):
    target = getattr(world, enterprise)
    r = page(getattr(world, who)).get(reverse("web:enterprise_detail", args=[target.pk]))
    assert r.status_code == 404
    assert target.name not in r.content.decode()


def test_enterprise_detail_of_a_non_enterprise_is_404(page, world):
    r = page(world.office).get(reverse("web:enterprise_detail", args=[world.committee.pk]))
    assert r.status_code == 404


def test_enterprise_pages_query_count_does_not_grow(page, world, count_queries):
    from worksafe.testing import make_org

    client = page(world.office)
    world.make_hazard()
    list_one = count_queries(lambda: client.get(reverse("web:enterprise_list")))
    detail_url = reverse("web:enterprise_detail", args=[world.enterprise_a.pk])
    detail_one = count_queries(lambda: client.get(detail_url))
    for i in range(10):
        make_org(kind="enterprise", name=f"企业{i}", region="210202")
        world.make_hazard(title=f"隐患{i}")
    assert count_queries(lambda: client.get(reverse("web:enterprise_list"))) == list_one
    assert count_queries(lambda: client.get(detail_url)) == detail_one


def test_enterprise_search_finds_the_same_on_the_api_and_the_page(page, api, world):
    """`q` is a name or a unified social credit code on both (the API used to find names only)."""
    for text in (world.enterprise_b.uscc[:12], "甲化工", world.enterprise_c.uscc.lower()):
        r = page(world.office).get(reverse("web:enterprise_list"), {"q": text})
        listed = {e.pk for e in r.context["enterprises"]}
        body = api(world.office).get("/api/v1/organizations", kind="enterprise", q=text).json()
        assert listed and {item["id"] for item in body["items"]} == listed, text
