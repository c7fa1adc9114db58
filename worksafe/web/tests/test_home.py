from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from worksafe.hazards.services import hazard_transition


def test_home_shows_counts_for_scope(page, world):
    world.make_hazard()
    world.make_hazard(level="major", title="主要隐患")
    world.make_hazard(enterprise=world.enterprise_h, actor=world.outsider)
    r = page(world.office).get(reverse("web:home"))
    assert r.status_code == 200
    assert r.context["counts"]["open"] == 2
    assert r.context["counts"]["major"] == 1
    assert "主要隐患" in r.content.decode()
    assert reverse("web:hazard_list") + "?overdue=1" in r.content.decode()


def test_home_chart_uses_width_classes(page, world):
    world.make_hazard()
    r = page(world.office).get(reverse("web:home"))
    bars = {row["status"]: row["bar"] for row in r.context["chart"]}
    assert bars["reported"] == "w-100"
    assert bars["closed"] == "w-0"


def test_home_pending_for_inspector(page, world):
    hazard = world.make_hazard()
    hazard = hazard_transition(
        actor=world.office, hazard_id=hazard.pk, action="assign", version=1, responsible_person="王五"
    )
    hazard_transition(actor=world.officer_a, hazard_id=hazard.pk, action="submit", version=2)
    r = page(world.inspector).get(reverse("web:home"))
    assert [h.pk for h in r.context["pending"]] == [hazard.pk]
    assert r.context["assigned"] is None


def test_home_for_expert_lists_assigned(page, world):
    mine = world.make_hazard()
    world.make_hazard(title="别人的")
    hazard_transition(
        actor=world.office,
        hazard_id=mine.pk,
        action="assign",
        version=1,
        responsible_person="王五",
        expert=world.expert.pk,
    )
    r = page(world.expert).get(reverse("web:home"))
    assert [h.pk for h in r.context["assigned"]] == [mine.pk]
    assert r.context["counts"]["open"] == 1


def test_home_outsider_sees_nothing_of_dalian(page, world):
    world.make_hazard(title="大连的隐患")
    r = page(world.outsider).get(reverse("web:home"))
    assert r.context["counts"]["open"] == 0
    assert "大连的隐患" not in r.content.decode()


def test_home_query_count_does_not_grow(page, world, count_queries):
    client = page(world.office)
    world.make_hazard()
    one = count_queries(lambda: client.get(reverse("web:home")))
    for i in range(10):
        world.make_hazard(title=f"隐患{i}", due_date=timezone.localdate() + timedelta(days=i))
    many = count_queries(lambda: client.get(reverse("web:home")))
    assert many == one
    assert many <= 12
