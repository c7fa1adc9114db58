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
    assert reverse("hazards:list") + "?overdue=1" in r.content.decode()


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
    panels = {p["key"]: p for p in r.context["panels"]}
    assert [h.pk for h in panels["to_accept"]["items"]] == [hazard.pk]
    assert "assigned" not in panels and "to_rectify" not in panels


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
    panels = {p["key"]: p for p in r.context["panels"]}
    assert [h.pk for h in panels["assigned"]["items"]] == [mine.pk]
    assert panels["to_accept"]["count"] == 0
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
    assert many <= 13  # two more than before: today's inspections and what awaits acceptance


def _submitted(world, **fields):
    """A hazard of enterprise A assigned and submitted: pending acceptance."""
    hazard = world.make_hazard(**fields)
    hazard = hazard_transition(
        actor=world.office, hazard_id=hazard.pk, action="assign", version=1, responsible_person="王五"
    )
    return hazard_transition(actor=world.officer_a, hazard_id=hazard.pk, action="submit", version=2)


def test_enterprise_home_lists_what_to_rectify_and_to_accept(page, world):
    rectifying = hazard_transition(
        actor=world.office,
        hazard_id=world.make_hazard(title="待整改的").pk,
        action="assign",
        version=1,
        responsible_person="王五",
    )
    own = _submitted(world, title="自查发现的", source="self_check", actor=world.officer_a)
    _submitted(world, title="检查发现的")  # verified by the department, not by the enterprise
    r = page(world.officer_a).get(reverse("web:home"))
    panels = {p["key"]: p for p in r.context["panels"]}
    assert list(panels) == ["to_rectify", "to_accept"]
    assert [h.pk for h in panels["to_rectify"]["items"]] == [rectifying.pk]
    assert (panels["to_accept"]["count"], [h.pk for h in panels["to_accept"]["items"]]) == (1, [own.pk])
    html = r.content.decode()
    assert r.context["heading"] == "Hidden dangers of your enterprise"
    assert "Hidden dangers in your area" not in html


def test_awaiting_acceptance_agrees_with_the_rule_for_everyone(world):
    from worksafe.hazards import rules
    from worksafe.hazards.selectors import awaiting_acceptance, hazard_list

    _submitted(world, source="self_check", actor=world.officer_a)
    _submitted(world)
    with_expert = world.make_hazard()
    with_expert = hazard_transition(
        actor=world.office,
        hazard_id=with_expert.pk,
        action="assign",
        version=1,
        responsible_person="王五",
        expert=world.expert.pk,
    )
    hazard_transition(actor=world.officer_a, hazard_id=with_expert.pk, action="submit", version=2)
    people = [v for v in vars(world).values() if getattr(v, "role", None)]
    for user in people:
        expected = {
            h.pk
            for h in hazard_list(visible_to=user).filter(status="pending_acceptance")
            if rules.why_not(user, h, "accept") is None
        }
        assert set(awaiting_acceptance(visible_to=user).values_list("pk", flat=True)) == expected, user


def test_inspector_home_lists_todays_inspections(page, world):
    from worksafe.inspections.services import inspection_create

    today = timezone.localdate()
    mine = inspection_create(
        actor=world.inspector, target=world.enterprise_a.pk, kind="routine", planned_on=today
    )
    inspection_create(
        actor=world.inspector,
        target=world.enterprise_a.pk,
        kind="routine",
        planned_on=today + timedelta(days=3),
    )
    r = page(world.inspector).get(reverse("web:home"))
    panels = {p["key"]: p for p in r.context["panels"]}
    assert [i.pk for i in panels["inspections"]["items"]] == [mine.pk]
    assert reverse("inspections:detail", args=[mine.pk]) in r.content.decode()


def test_leader_home_offers_no_write_action(page, world):
    _submitted(world)
    r = page(world.leader).get(reverse("web:home"))
    assert r.context["panels"] == []
    html = r.content.decode()
    assert reverse("hazards:create") not in html
    # The only forms are the language switch and logging out.
    assert html.count("<form") == 2


def test_every_tile_counts_what_its_list_and_the_api_find(page, api, world, time_machine):
    """A tile and the list it links to share one definition, and the API's filters are the same."""
    time_machine.move_to("2026-06-01 10:00 +0800", tick=False)
    today = timezone.localdate()
    for days in (0, 1, 4, 8, 9, 31):  # from tomorrow: overdue, today, 3, 7, 8 and 30 days
        world.make_hazard(due_date=today + timedelta(days=days), level="major" if days == 4 else "general")
    done = world.make_hazard(due_date=today + timedelta(days=3))
    hazard_transition(actor=world.office, hazard_id=done.pk, action="cancel", version=1, note="重复")
    time_machine.move_to("2026-06-02 10:00 +0800", tick=False)
    r = page(world.office).get(reverse("web:home"))
    assert r.context["counts"]["due_this_week"] == 3
    api_params = {"open": {"open": True}, "due_this_week": {"due_within_days": 7}}
    for key, _label, count, url, _css in r.context["tiles"]:
        listed = page(world.office).get(url)
        assert listed.context["total"] == count, key
        if key in api_params:
            body = api(world.office).get("/api/v1/hazards", **api_params[key]).json()
            assert len(body["items"]) == count, key
