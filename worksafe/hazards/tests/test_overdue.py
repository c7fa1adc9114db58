"""Overdue is computed, never stored (design.md "Hazard lifecycle"), on the Asia/Shanghai
calendar; the escalation sweep climbs the configured ladder one step a day at most."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.core.management import call_command

from worksafe.audit.models import Event
from worksafe.hazards.models import Hazard
from worksafe.hazards.services import escalation_sweep
from worksafe.hazards.tasks import escalation_sweep_task

from .conftest import bring_to

pytestmark = pytest.mark.frozen_at("2026-05-01 02:00:00+00:00")

DUE = date(2026, 5, 10)


def shanghai(day: date, hour: int, minute: int = 0) -> datetime:
    """The UTC instant of a Shanghai wall-clock time (UTC+8, no daylight saving)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


@pytest.fixture
def w(db, frozen):
    from worksafe.testing import World

    return World()


def test_shanghai_helper():
    assert shanghai(date(2026, 5, 11), 0) == datetime(2026, 5, 10, 16, 0, tzinfo=UTC)


def test_overdue_flips_at_midnight_shanghai_not_utc(w, frozen, api):
    hazard = w.make_hazard(due_date=DUE)
    path = f"/api/v1/hazards/{hazard.pk}"

    def client():  # a fresh token after each jump of the clock
        return api(w.office)

    frozen.move_to(shanghai(DUE, 23, 59))  # 15:59 UTC on the due date
    body = client().get(path).json()
    assert (body["overdue"], body["days_overdue"]) == (False, 0)
    frozen.move_to(datetime(2026, 5, 10, 16, 0, tzinfo=UTC))  # 00:00 on the 11th in Shanghai
    body = client().get(path).json()
    assert (body["overdue"], body["days_overdue"]) == (True, 1)
    frozen.move_to(shanghai(date(2026, 5, 20), 9))
    assert client().get(path).json()["days_overdue"] == 10
    # 15:00 UTC on the 10th is still the due date in Shanghai.
    frozen.move_to(datetime(2026, 5, 10, 15, 0, tzinfo=UTC))
    assert client().get(path).json()["overdue"] is False


def test_closed_and_cancelled_are_never_overdue(w, frozen, api):
    closed = bring_to(w, w.make_hazard(due_date=DUE), Hazard.Status.CLOSED)
    cancelled = bring_to(w, w.make_hazard(due_date=DUE), Hazard.Status.CANCELLED)
    pending = bring_to(w, w.make_hazard(due_date=DUE), Hazard.Status.PENDING_ACCEPTANCE)
    frozen.move_to(shanghai(date(2026, 6, 1), 12))
    client = api(w.office)
    for hazard, expected in ((closed, False), (cancelled, False), (pending, True)):
        body = client.get(f"/api/v1/hazards/{hazard.pk}").json()
        assert body["overdue"] is expected
        assert (body["days_overdue"] > 0) is expected


def test_overdue_filter_and_stats_follow_the_clock(w, frozen, api):
    late = w.make_hazard(due_date=DUE)
    on_time = w.make_hazard(due_date=date(2026, 5, 30))
    closed = bring_to(w, w.make_hazard(due_date=DUE), Hazard.Status.CLOSED)

    def listed(**params):
        return {h["id"] for h in api(w.office).get("/api/v1/hazards", **params).json()["items"]}

    assert listed(overdue="true") == set()
    frozen.move_to(datetime(2026, 5, 10, 16, 0, tzinfo=UTC))
    assert listed(overdue="true") == {late.pk}
    assert listed(overdue="false") == {on_time.pk, closed.pk}
    client = api(w.office)
    assert client.get("/api/v1/stats/hazards", region="210200").json()["overdue"] == 1
    assert client.get("/api/v1/hazards", overdue="maybe").status_code == 422


# --- escalation ------------------------------------------------------------------------------


def ladder_codes() -> list[str]:
    return [code for code, _days, _label in settings.WORKSAFE_ESCALATION_LADDER]


def steps_of(hazard) -> list[str]:
    return list(
        Event.objects.for_subject("hazard", hazard.pk)
        .filter(action__in=ladder_codes())
        .values_list("action", flat=True)
    )


def day(d: int) -> datetime:
    """09:00 Shanghai, `d` days after the due date."""
    return shanghai(date.fromordinal(DUE.toordinal() + d), 9)


def test_sweep_climbs_one_step_a_day_and_never_past_the_top(w, frozen):
    hazard = w.make_hazard(due_date=DUE)
    frozen.move_to(day(0))
    assert escalation_sweep() == 0  # due today: not overdue yet
    frozen.move_to(day(1))
    assert escalation_sweep() == 1
    hazard.refresh_from_db()
    assert (hazard.escalation_step, hazard.escalation[0]) == (1, "reminder")
    event = Event.objects.for_subject("hazard", hazard.pk).last()
    assert (event.action, event.actor_id, event.data["step"], event.data["days_overdue"]) == (
        "reminder",
        None,
        "reminder",
        1,
    )
    assert event.from_status == event.to_status == "reported"
    # The second run of the day changes nothing.
    events = Event.objects.count()
    assert escalation_sweep() == 0
    assert Event.objects.count() == events
    frozen.move_to(day(2))
    assert escalation_sweep() == 0  # warning needs 3 days overdue
    frozen.move_to(day(3))
    assert escalation_sweep() == 1
    frozen.move_to(day(40))  # long overdue: still one step per day
    assert escalation_sweep() == 1
    hazard.refresh_from_db()
    assert hazard.escalation[0] == "interview"
    frozen.move_to(day(41))
    escalation_sweep()
    frozen.move_to(day(42))
    escalation_sweep()
    frozen.move_to(day(43))
    assert escalation_sweep() == 0
    hazard.refresh_from_db()
    assert hazard.escalation_step == len(ladder_codes())
    assert steps_of(hazard) == ladder_codes()


def test_sweep_ignores_closed_cancelled_and_not_overdue(w, frozen):
    closed = bring_to(w, w.make_hazard(due_date=DUE), Hazard.Status.CLOSED)
    cancelled = bring_to(w, w.make_hazard(due_date=DUE), Hazard.Status.CANCELLED)
    future = w.make_hazard(due_date=date(2026, 7, 1))
    rectifying = bring_to(w, w.make_hazard(due_date=DUE), Hazard.Status.RECTIFYING)
    frozen.move_to(day(5))
    assert escalation_sweep() == 1
    assert steps_of(rectifying) == ["reminder"]
    for hazard in (closed, cancelled, future):
        hazard.refresh_from_db()
        assert hazard.escalation_step == 0
        assert steps_of(hazard) == []


def test_sweep_does_not_change_version_or_status(w, frozen):
    hazard = w.make_hazard(due_date=DUE)
    frozen.move_to(day(1))
    escalation_sweep()
    fresh = Hazard.objects.get(pk=hazard.pk)
    assert (fresh.status, fresh.version) == (hazard.status, hazard.version)


def test_ladder_is_configurable(w, frozen, settings):
    settings.WORKSAFE_ESCALATION_LADDER = [("nudge", 2, "Nudge"), ("summons", 4, "Summons")]
    hazard = w.make_hazard(due_date=DUE)
    frozen.move_to(day(1))
    assert escalation_sweep() == 0
    frozen.move_to(day(2))
    assert escalation_sweep() == 1
    frozen.move_to(day(9))
    escalation_sweep()
    frozen.move_to(day(10))
    assert escalation_sweep() == 0
    assert steps_of(hazard) == ["nudge", "summons"]


def test_management_command_and_task(w, frozen):
    hazard = w.make_hazard(due_date=DUE)
    frozen.move_to(day(1))
    from io import StringIO

    out = StringIO()
    call_command("escalate_overdue", stdout=out)
    assert "1 " in out.getvalue()
    call_command("escalate_overdue", stdout=out)  # safe to run twice
    frozen.move_to(day(3))
    result = escalation_sweep_task.enqueue()
    assert result.return_value == 1
    out = StringIO()
    call_command("escalate_overdue", "--enqueue", stdout=out)
    assert "Queued" in out.getvalue()
    hazard.refresh_from_db()
    assert hazard.escalation_step == 2
    assert steps_of(hazard) == ["reminder", "warning"]


def test_shortened_ladder_leaves_climbed_hazards_on_its_top_step(w, frozen, api, settings):
    hazard = w.make_hazard(due_date=DUE)
    Hazard.objects.filter(pk=hazard.pk).update(escalation_step=5)
    settings.WORKSAFE_ESCALATION_LADDER = [("nudge", 2, "Nudge"), ("summons", 4, "Summons")]
    r = api(w.office).get(f"/api/v1/hazards/{hazard.pk}")
    assert r.status_code == 200
    assert r.json()["escalation"] == "summons"
    frozen.move_to(day(50))
    assert escalation_sweep() == 0
