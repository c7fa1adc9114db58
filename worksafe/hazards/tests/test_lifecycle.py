"""The hazard lifecycle of design.md: every action from every status, who may do what, versions,
registration and numbering."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from worksafe.audit.models import Event
from worksafe.hazards.models import Hazard

from .conftest import FULL_PLAN, complete_plan

S = Hazard.Status
ALL_STATUSES = list(S.values)
ACTIONS = list(Hazard.TRANSITIONS)
# (action, status) pairs the lifecycle allows, and where they lead.
ALLOWED = {
    ("assign", S.REPORTED): S.RECTIFYING,
    ("submit", S.RECTIFYING): S.PENDING_ACCEPTANCE,
    ("accept", S.PENDING_ACCEPTANCE): S.CLOSED,
    ("reject", S.PENDING_ACCEPTANCE): S.RECTIFYING,
    ("cancel", S.REPORTED): S.CANCELLED,
    ("cancel", S.RECTIFYING): S.CANCELLED,
}
EXTRA = {
    "assign": {"responsible_person": "赵六"},
    "reject": {"note": "照片不清楚"},
    "cancel": {"note": "误报"},
}


def url(hazard, tail="transition"):
    return f"/api/v1/hazards/{hazard.pk}/{tail}"


def act(client, hazard, action, version=None, **extra):
    body = {"action": action, "version": hazard.version if version is None else version, **extra}
    return client.post(url(hazard), body)


def event_count(hazard) -> int:
    return Event.objects.for_subject("hazard", hazard.pk).count()


@pytest.mark.parametrize("status", ALL_STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_from_every_status(world, api, walk, action, status):
    hazard = walk(status)
    events_before = event_count(hazard)
    r = act(api(world.office), hazard, action, **EXTRA.get(action, {}))
    hazard.refresh_from_db()
    target = ALLOWED.get((action, status))
    if target is None:
        assert r.status_code == 422, r.content
        assert "action" in r.json()["errors"]
        assert hazard.status == status
        assert event_count(hazard) == events_before
    else:
        assert r.status_code == 200, r.content
        body = r.json()
        assert body["status"] == target == hazard.status
        assert body["version"] == hazard.version
        event = Event.objects.for_subject("hazard", hazard.pk).last()
        assert (event.action, event.from_status, event.to_status) == (action, status, target)
        assert event.actor_id == world.office.pk
        assert event_count(hazard) == events_before + 1


def test_unknown_action_is_422_on_action(world, api, walk):
    hazard = walk()
    for action in ("close", "", "ASSIGN", "assign; drop table"):
        r = act(api(world.office), hazard, action)
        assert r.status_code == 422
        assert "action" in r.json()["errors"]


def test_full_walk_with_events_oldest_first(world, api, walk):
    hazard = walk()
    office = api(world.office)
    assert act(office, hazard, "assign", responsible_person="王五").status_code == 200
    hazard.refresh_from_db()
    assert act(api(world.officer_a), hazard, "submit").status_code == 200
    hazard.refresh_from_db()
    r = act(office, hazard, "reject", note="未整改到位")
    assert r.json()["status"] == "rectifying"
    assert r.json()["rejection_count"] == 1
    hazard.refresh_from_db()
    act(api(world.officer_a), hazard, "submit")
    hazard.refresh_from_db()
    r = act(office, hazard, "accept", note="复查合格")
    assert r.json()["status"] == "closed"
    assert r.json()["closed_at"]
    events = office.get(url(hazard, "events")).json()["items"]
    assert [e["action"] for e in events] == ["create", "assign", "submit", "reject", "submit", "accept"]
    assert [(e["from_status"], e["to_status"]) for e in events] == [
        ("", "reported"),
        ("reported", "rectifying"),
        ("rectifying", "pending_acceptance"),
        ("pending_acceptance", "rectifying"),
        ("rectifying", "pending_acceptance"),
        ("pending_acceptance", "closed"),
    ]
    assert events[1]["actor"] == "office" and events[2]["actor"] == "officer_a"
    assert events[3]["note"] == "未整改到位"
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)


# --- who may do what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("office", 200),
        ("inspector", 200),  # hazardous chemicals department of the city
        ("inspector_zs", 200),  # district department, same industry
        ("admin", 200),
        ("leader", 403),
        ("officer_a", 403),  # found by an inspection, not by the enterprise
        ("officer_b", 404),
        ("inspector_build", 404),  # construction: another industry
        ("office_gjz", 404),  # another district
        ("outsider", 404),
        ("expert", 404),  # not assigned to it
    ],
)
def test_who_may_assign_an_inspection_hazard(world, api, walk, who, expected):
    hazard = walk(source="inspection")
    r = act(api(getattr(world, who)), hazard, "assign", responsible_person="王五")
    assert r.status_code == expected, r.content
    hazard.refresh_from_db()
    assert hazard.status == (S.RECTIFYING if expected == 200 else S.REPORTED)


def test_enterprise_assigns_and_accepts_its_own_self_check_general(world, api, walk):
    hazard = walk(source="self_check", actor=world.officer_a)
    officer = api(world.officer_a)
    assert act(officer, hazard, "assign", responsible_person="车间主任").status_code == 200
    hazard.refresh_from_db()
    assert act(officer, hazard, "submit").status_code == 200
    hazard.refresh_from_db()
    r = act(officer, hazard, "accept")
    assert r.status_code == 200
    assert r.json()["status"] == "closed"


def test_enterprise_may_reject_its_own_self_check_general(world, api, walk):
    hazard = walk(S.PENDING_ACCEPTANCE, source="self_check", actor=world.officer_a)
    r = act(api(world.officer_a), hazard, "reject", note="返工")
    assert r.status_code == 200
    assert r.json()["rejection_count"] == 1


@pytest.mark.parametrize("action", ["accept", "reject"])
def test_enterprise_may_not_verify_an_inspection_hazard(world, api, walk, action):
    hazard = walk(S.PENDING_ACCEPTANCE, source="inspection")
    r = act(api(world.officer_a), hazard, action, note="自己验收")
    assert r.status_code == 403
    hazard.refresh_from_db()
    assert hazard.status == S.PENDING_ACCEPTANCE


def test_enterprise_may_not_assign_or_accept_a_major_even_self_found(world, api, walk):
    reported = walk(level="major", source="self_check", actor=world.officer_a)
    officer = api(world.officer_a)
    assert act(officer, reported, "assign", responsible_person="x").status_code == 403
    pending = walk(S.PENDING_ACCEPTANCE, level="major", source="self_check", actor=world.officer_a)
    r = act(officer, pending, "accept")
    assert r.status_code == 403
    assert "major" in r.json()["detail"]


@pytest.mark.parametrize("who", ["office", "inspector"])
def test_department_or_office_verify_a_major(world, api, walk, who):
    hazard = walk(S.PENDING_ACCEPTANCE, level="major")
    assert act(api(getattr(world, who)), hazard, "accept").status_code == 200


def test_other_enterprise_cannot_even_see_it(world, api, walk):
    hazard = walk(S.PENDING_ACCEPTANCE, source="self_check", actor=world.officer_a)
    assert act(api(world.officer_b), hazard, "accept").status_code == 404
    assert api(world.officer_b).get(f"/api/v1/hazards/{hazard.pk}").status_code == 404


def test_enterprise_cancels_only_its_own_reported_self_check(world, api, walk):
    own = walk(source="self_check", actor=world.officer_a)
    assert act(api(world.officer_a), own, "cancel", note="重复").status_code == 200
    found_by_others = walk(source="inspection")
    assert act(api(world.officer_a), found_by_others, "cancel", note="x").status_code == 403


@pytest.mark.parametrize("status", ALL_STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_leader_is_read_only_everywhere(world, api, walk, action, status):
    hazard = walk(status)
    client = api(world.leader)
    assert client.get(f"/api/v1/hazards/{hazard.pk}").json()["allowed_actions"] == []
    r = act(client, hazard, action, **EXTRA.get(action, {}))
    assert r.status_code == 403


def test_leader_may_not_plan_report_or_add_evidence(world, api, walk):
    hazard = walk(level="major")
    client = api(world.leader)
    assert client.post(url(hazard, "plan"), {"version": hazard.version, **FULL_PLAN}).status_code == 403
    r = client.post(
        "/api/v1/hazards",
        {
            "enterprise": world.enterprise_a.pk,
            "title": "x",
            "level": "general",
            "source": "inspection",
            "due_date": str(timezone.localdate()),
        },
    )
    assert r.status_code == 403


def test_assigned_expert_sees_and_verifies_a_major(world, api, walk):
    hazard = complete_plan(world, walk(level="major"))
    other = walk(S.PENDING_ACCEPTANCE, level="major")
    r = act(api(world.office), hazard, "assign", responsible_person="王五", expert=world.expert.pk)
    assert r.status_code == 200, r.content
    assert r.json()["expert"] == world.expert.pk
    hazard.refresh_from_db()
    act(api(world.officer_a), hazard, "submit")
    hazard.refresh_from_db()
    expert = api(world.expert)
    listed = {h["id"] for h in expert.get("/api/v1/hazards").json()["items"]}
    assert listed == {hazard.pk}
    assert expert.get(f"/api/v1/hazards/{hazard.pk}").json()["allowed_actions"] == ["accept", "reject"]
    # Not its hazard: it does not exist for the expert.
    assert act(expert, other, "accept").status_code == 404
    assert expert.get(f"/api/v1/hazards/{other.pk}").status_code == 404
    r = act(expert, hazard, "accept", note="专家验收通过")
    assert r.status_code == 200
    assert r.json()["status"] == "closed"


def test_assigned_expert_may_not_assign_submit_or_cancel(world, api, walk):
    hazard = complete_plan(world, walk(level="major"))
    act(api(world.office), hazard, "assign", responsible_person="王五", expert=world.expert.pk)
    hazard.refresh_from_db()
    for action in ("submit", "cancel"):
        assert act(api(world.expert), hazard, action, note="x").status_code == 403


# --- the rules of individual actions --------------------------------------------------------


def test_major_is_not_assignable_before_the_five_implementations(world, api, walk):
    hazard = walk(level="major")
    office = api(world.office)
    r = act(office, hazard, "assign", responsible_person="王五")
    assert r.status_code == 422
    assert "plan" in r.json()["errors"]
    # Four of five is still not enough.
    partial = {k: v for k, v in FULL_PLAN.items() if k != "funds"}
    r = office.post(
        url(hazard, "plan"), {"version": hazard.version, **partial, "deadline": hazard.due_date.isoformat()}
    )
    assert r.status_code == 200
    assert r.json()["plan"]["complete"] is False
    r = act(office, hazard, "assign", version=r.json()["version"], responsible_person="王五")
    assert r.status_code == 422
    assert "funds" in r.json()["errors"]["plan"][0]
    hazard.refresh_from_db()
    r = office.post(url(hazard, "plan"), {"version": hazard.version, "funds": "0"})
    assert r.json()["plan"]["complete"] is True
    assert r.json()["plan"]["funds"] == "0.00"
    r = act(office, hazard, "assign", version=r.json()["version"], responsible_person="王五")
    assert r.status_code == 200


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"funds": "-1"}, "funds"),
        ({"funds": "abc"}, "funds"),
        ({"funds": "1e15"}, "funds"),
        ({"deadline": "2026-02-30"}, "deadline"),
        ({"responsible_person": "x" * 101}, "responsible_person"),
        ({"version": None}, "version"),
    ],
)
def test_bad_plan_is_422_naming_the_field(world, api, walk, payload, field):
    hazard = walk(level="major")
    r = api(world.office).post(url(hazard, "plan"), {"version": hazard.version, **payload})
    assert r.status_code == 422, r.content
    assert field in r.json()["errors"]


def test_plan_funds_are_kept_as_yuan_with_two_decimals(world, api, walk):
    hazard = walk(level="major")
    r = api(world.office).post(url(hazard, "plan"), {"version": hazard.version, "funds": "-0"})
    assert r.json()["plan"]["funds"] == "0.00"
    r = api(world.office).post(
        url(hazard, "plan"), {"version": r.json()["version"], "funds": "99999999999.99"}
    )
    assert r.json()["plan"]["funds"] == "99999999999.99"
    hazard.refresh_from_db()
    assert str(hazard.plan_funds) == "99999999999.99"


def test_plan_of_a_pending_hazard_is_403_and_stale_is_409(world, api, walk):
    hazard = walk(S.PENDING_ACCEPTANCE, level="major")
    office = api(world.office)
    assert office.post(url(hazard, "plan"), {"version": hazard.version, "funds": "1"}).status_code == 403
    fresh = walk(level="major")
    assert office.post(url(fresh, "plan"), {"version": 99, "funds": "1"}).status_code == 409


def test_reject_needs_a_note_and_counts(world, api, walk):
    hazard = walk(S.PENDING_ACCEPTANCE)
    office = api(world.office)
    r = act(office, hazard, "reject", note="   ")
    assert r.status_code == 422
    assert "note" in r.json()["errors"]
    hazard.refresh_from_db()
    assert (hazard.status, hazard.rejection_count) == (S.PENDING_ACCEPTANCE, 0)
    r = act(office, hazard, "reject", note="整改不到位")
    assert r.json()["rejection_count"] == 1
    assert r.json()["status"] == "rectifying"


def test_cancel_needs_a_note(world, api, walk):
    hazard = walk()
    r = act(api(world.office), hazard, "cancel")
    assert r.status_code == 422
    assert "note" in r.json()["errors"]


def test_assign_needs_a_responsible_person(world, api, walk):
    hazard = walk()
    r = act(api(world.office), hazard, "assign")
    assert r.status_code == 422
    assert "responsible_person" in r.json()["errors"]


@pytest.mark.parametrize(("action", "status"), [("assign", S.REPORTED), ("accept", S.PENDING_ACCEPTANCE)])
def test_stale_version_is_409_and_changes_nothing(world, api, walk, action, status):
    hazard = walk(status)
    events_before = event_count(hazard)
    r = act(api(world.office), hazard, action, version=hazard.version - 1, responsible_person="王五")
    assert r.status_code == 409
    assert "version" in r.json()["errors"]
    fresh = Hazard.objects.get(pk=hazard.pk)
    assert (fresh.status, fresh.version) == (hazard.status, hazard.version)
    assert event_count(hazard) == events_before
    assert act(api(world.office), hazard, action, version=hazard.version + 5).status_code == 409


def test_missing_version_is_422(world, api, walk):
    hazard = walk()
    r = api(world.office).post(url(hazard), {"action": "assign", "responsible_person": "王五"})
    assert r.status_code == 422
    assert "version" in r.json()["errors"]


def test_out_of_scope_transition_is_404_before_version_check(world, api, walk):
    hazard = walk()
    r = act(api(world.outsider), hazard, "assign", version=999, responsible_person="x")
    assert r.status_code == 404
    assert (
        api(world.office)
        .post("/api/v1/hazards/999999/transition", {"action": "assign", "version": 1})
        .status_code
        == 404
    )


@pytest.mark.parametrize("expert", ["officer_a", "office", 10**6, -1])
def test_unknown_or_non_expert_is_422_on_expert(world, api, walk, expert):
    hazard = walk()
    expert_id = getattr(world, expert).pk if isinstance(expert, str) else expert
    r = act(api(world.office), hazard, "assign", responsible_person="王五", expert=expert_id)
    assert r.status_code == 422
    assert "expert" in r.json()["errors"]
    hazard.refresh_from_db()
    assert hazard.status == S.REPORTED and hazard.expert_id is None


@pytest.mark.parametrize("due", ["yesterday", "2026-02-30", "tomorrow-ish", 20260101])
def test_bad_due_date_on_assign_is_422_on_due_date(world, api, walk, due):
    hazard = walk()
    if due == "yesterday":
        due = str(timezone.localdate() - timedelta(days=1))
    r = act(api(world.office), hazard, "assign", responsible_person="王五", due_date=due)
    assert r.status_code == 422, r.content
    assert "due_date" in r.json()["errors"]


def test_assign_may_move_the_due_date(world, api, walk):
    hazard = walk()
    new_due = timezone.localdate() + timedelta(days=30)
    r = act(api(world.office), hazard, "assign", responsible_person="王五", due_date=str(new_due))
    assert r.json()["due_date"] == str(new_due)
    assert Event.objects.for_subject("hazard", hazard.pk).last().data["due_date"] == str(new_due)


# --- registration ----------------------------------------------------------------------------


def report(world, **overrides):
    return {
        "enterprise": world.enterprise_a.pk,
        "title": "配电室门口堆放杂物",
        "level": "general",
        "source": "inspection",
        "due_date": str(timezone.localdate() + timedelta(days=7)),
        **overrides,
    }


def test_report_creates_hazard_with_creation_event(world, api):
    r = api(world.inspector).post("/api/v1/hazards", report(world))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "reported" and body["version"] == 1
    assert (body["region"], body["industry"]) == ("210202", "hazardous_chemicals")
    assert body["overdue"] is False
    event = Event.objects.for_subject("hazard", body["id"]).get()
    assert (event.action, event.to_status, event.actor_id) == ("create", "reported", world.inspector.pk)


def test_required_fields_on_report_are_named(world, api):
    r = api(world.office).post("/api/v1/hazards", {})
    assert r.status_code == 422
    assert {"enterprise", "title", "level", "source", "due_date"} <= set(r.json()["errors"])


def test_enterprise_officer_reports_only_self_check(world, api):
    officer = api(world.officer_a)
    r = officer.post("/api/v1/hazards", report(world, source="inspection"))
    assert r.status_code == 422
    assert "source" in r.json()["errors"]
    assert officer.post("/api/v1/hazards", report(world, source="self_check")).status_code == 201


@pytest.mark.parametrize(
    ("who", "enterprise"),
    [
        ("office", "enterprise_h"),  # another province
        ("office_gjz", "enterprise_a"),  # another district
        ("inspector", "enterprise_c"),  # another industry
        ("officer_a", "enterprise_b"),  # another enterprise
        ("office", "committee"),  # not an enterprise
    ],
)
def test_enterprise_the_caller_cannot_see_is_422_on_enterprise(world, api, who, enterprise):
    r = api(getattr(world, who)).post(
        "/api/v1/hazards", report(world, enterprise=getattr(world, enterprise).pk, source="self_check")
    )
    assert r.status_code == 422
    assert "enterprise" in r.json()["errors"]
    assert not Hazard.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"level": "critical"}, "level"),
        ({"source": "rumour"}, "source"),
        ({"due_date": "2020-01-01"}, "due_date"),
        ({"due_date": "not a date"}, "due_date"),
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"enterprise": "abc"}, "enterprise"),
        ({"enterprise": -5}, "enterprise"),
    ],
)
def test_bad_report_is_422_naming_the_field(world, api, payload, field):
    r = api(world.office).post("/api/v1/hazards", report(world, **payload))
    assert r.status_code == 422, r.content
    assert field in r.json()["errors"]


@pytest.mark.parametrize("who", ["leader", "expert"])
def test_leader_and_expert_do_not_report(world, api, who):
    assert api(getattr(world, who)).post("/api/v1/hazards", report(world)).status_code == 403


def test_numbers_are_per_region_and_year_and_restart_each_year(db):
    from worksafe.testing import World

    with time_machine.travel(datetime(2026, 12, 31, 15, 0, tzinfo=UTC), tick=False) as traveller:
        world = World()
        a1 = world.make_hazard()
        a2 = world.make_hazard()
        b1 = world.make_hazard(enterprise=world.enterprise_b)
        assert [a1.number, a2.number, b1.number] == [
            "YH210202-2026-000001",
            "YH210202-2026-000002",
            "YH210211-2026-000001",
        ]
        # 16:00 UTC on 31 December is midnight in Shanghai: the new year's numbering starts.
        traveller.move_to(datetime(2026, 12, 31, 16, 0, tzinfo=UTC))
        a3 = world.make_hazard()
        assert a3.number == "YH210202-2027-000001"
        assert world.make_hazard().number == "YH210202-2027-000002"
    assert Hazard.objects.values("number").distinct().count() == 5
