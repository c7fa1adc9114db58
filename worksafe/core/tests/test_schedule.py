"""Periodic work without cron: each registered job is enqueued once per period, however many
workers look at the schedule, and the worker runs it."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.tasks import task_backends

from worksafe.core import schedule
from worksafe.core.management.commands.worker import Command as WorkerCommand
from worksafe.core.models import ScheduledRun
from worksafe.hazards.models import Hazard

SWEEP = "hazards.escalation_sweep"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


@pytest.fixture
def overdue(world):
    """A hazard due 2026-11-20, looked at from 2026-11-23 on (three days overdue)."""
    with time_machine.travel("2026-11-10 02:00:00+00:00", tick=False):
        hazard = world.make_hazard(due_date=datetime(2026, 11, 20).date())
    return hazard


def test_periods_follow_local_days_and_minutes():
    # 01:30 in Shanghai on 2 December is still 1 December in UTC: the day is the local one.
    now = datetime(2026, 12, 1, 17, 30, tzinfo=UTC)
    assert schedule.period_start(now, timedelta(days=1)).isoformat() == "2026-12-02T00:00:00+08:00"
    assert schedule.period_start(now, timedelta(minutes=5)).isoformat() == "2026-12-02T01:30:00+08:00"
    later = now + timedelta(minutes=4, seconds=59)
    assert schedule.period_start(later, timedelta(minutes=5)) == schedule.period_start(
        now, timedelta(minutes=5)
    )


def test_the_sweep_is_registered_daily():
    assert schedule.REGISTRY[SWEEP].every == timedelta(days=1)


def test_a_period_that_does_not_divide_a_day_is_refused():
    with pytest.raises(ValueError, match="divide a day"):
        schedule.register(
            "x", every=timedelta(minutes=7), task="worksafe.hazards.tasks.escalation_sweep_task"
        )
    assert "x" not in schedule.REGISTRY


def test_each_job_is_enqueued_once_per_period(overdue):
    with time_machine.travel("2026-11-23 01:00:00+00:00", tick=False):
        first = schedule.enqueue_due()
        again = schedule.enqueue_due()
    assert SWEEP in first and SWEEP not in again
    overdue.refresh_from_db()
    assert overdue.escalation_step == 1  # the immediate backend of the tests ran it
    with time_machine.travel("2026-11-24 01:00:00+00:00", tick=False):
        assert SWEEP in schedule.enqueue_due()
    assert ScheduledRun.objects.filter(name=SWEEP).count() == 2


def test_a_period_claimed_by_another_worker_is_left_to_it(overdue):
    with time_machine.travel("2026-11-23 01:00:00+00:00", tick=False):
        ScheduledRun.objects.create(
            name=SWEEP, period_start=schedule.period_start(datetime.now(UTC), timedelta(days=1))
        )
        assert SWEEP not in schedule.enqueue_due()
    overdue.refresh_from_db()
    assert overdue.escalation_step == 0
    assert ScheduledRun.objects.filter(name=SWEEP).count() == 1


def test_old_claims_are_pruned(world):
    with time_machine.travel("2026-11-01 01:00:00+00:00", tick=False):
        schedule.enqueue_due()
    with time_machine.travel("2026-11-23 01:00:00+00:00", tick=False):
        schedule.enqueue_due()
        assert not ScheduledRun.objects.filter(enqueued_at__lt=datetime(2026, 11, 16, tzinfo=UTC)).exists()


def test_the_worker_does_not_reload_even_under_debug(settings):
    settings.DEBUG, settings.TASKS = True, DB_TASKS
    parser = WorkerCommand().create_parser("manage.py", "worker")
    assert parser.parse_args([]).reload is False


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection
def test_the_worker_runs_what_the_schedule_enqueued(overdue, settings):
    """With the database backend `make run` uses: the claim and the task row are written
    together, and the worker then runs the task."""
    settings.TASKS = DB_TASKS
    assert type(task_backends["default"]).__name__ == "DatabaseBackend"
    with time_machine.travel("2026-11-23 01:00:00+00:00", tick=False):
        assert SWEEP in schedule.enqueue_due()
        overdue.refresh_from_db()
        assert overdue.escalation_step == 0  # queued, not run
        call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    overdue.refresh_from_db()
    assert overdue.escalation_step == 1
    assert Hazard.objects.get(pk=overdue.pk).escalated_on.isoformat() == "2026-11-23"
