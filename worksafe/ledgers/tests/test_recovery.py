"""An import whose worker died is never "running" forever: a check is queued again and run, an
import is failed saying how far it got; a worker that is alive keeps its job."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from worksafe.audit.models import Event
from worksafe.core import schedule
from worksafe.hazards.models import Hazard
from worksafe.ledgers import importer, services, tasks
from worksafe.ledgers.models import ImportJob

from .conftest import workbook
from .test_imports import hz_row

pytestmark = [pytest.mark.frozen_at("2026-11-23 02:00:00+00:00"), pytest.mark.usefixtures("frozen")]

STALE = 601  # seconds: just over the default WORKSAFE_IMPORT_STALE_SECONDS


def running(world, *, dry_run: bool, done: int = 1, beat_ago: int = STALE) -> ImportJob:
    """A job a worker claimed and worked on until `beat_ago` seconds ago, then nothing."""
    rows = [hz_row(world, title=f"隐患{i}") for i in range(3)]
    job = services.import_job_create(
        actor=world.inspector, kind="hazards", content=workbook("hazards", rows), dry_run=dry_run
    )
    beat = timezone.now() - timedelta(seconds=beat_ago)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, started_at=beat, heartbeat_at=beat, done_rows=done
    )
    return job


def test_recovery_is_on_the_schedule_and_runs_as_a_worker_starts():
    job = schedule.REGISTRY["ledgers.recover_imports"]
    assert job.at_start and job.every == timedelta(minutes=5)


def test_a_stale_import_is_failed_with_how_far_it_got(world):
    job = running(world, dry_run=False, done=1)
    assert tasks.import_recover() == 1
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None
    assert "1" in job.detail and "3" in job.detail
    event = Event.objects.filter(subject_type="import_job", subject_id=str(job.pk)).last()
    assert (event.action, event.from_status, event.to_status) == ("finish", "running", "failed")
    assert event.data["reason"] == "worker_lost"


def test_a_stale_check_is_queued_again_and_run(world, run_tasks):
    job = running(world, dry_run=True, done=2)
    with run_tasks():
        assert tasks.import_recover() == 1
    job.refresh_from_db()
    assert (job.status, job.done_rows, job.created_count) == ("done", 3, 3)
    assert not Hazard.objects.exists()  # still only a check
    assert Event.objects.filter(subject_type="import_job", subject_id=str(job.pk), action="requeue").exists()


def test_a_job_with_a_recent_heartbeat_is_left_alone(world):
    job = running(world, dry_run=False, beat_ago=60)
    assert tasks.import_recover() == 0
    job.refresh_from_db()
    assert job.status == "running"


def test_the_timeout_is_a_setting(world, settings):
    settings.WORKSAFE_IMPORT_STALE_SECONDS = 30
    job = running(world, dry_run=False, beat_ago=60)
    assert tasks.import_recover() == 1
    assert ImportJob.objects.get(pk=job.pk).status == "failed"


def test_a_worker_that_wakes_up_after_recovery_does_not_undo_it(world):
    job = running(world, dry_run=False)
    tasks.import_recover()
    events = Event.objects.count()
    late = ImportJob.objects.get(pk=job.pk)
    late.status = ImportJob.Status.RUNNING  # what the old worker still believes
    importer._finish(late, ImportJob.Action.FINISH, "")
    job.refresh_from_db()
    assert job.status == "failed"
    assert Event.objects.count() == events


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection
def test_the_worker_recovers_as_it_starts(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    job = running(world, dry_run=False)
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    assert ImportJob.objects.get(pk=job.pk).status == "failed"


def test_each_row_done_is_a_heartbeat(world):
    rows = [hz_row(world, title="隐患")]
    job = services.import_job_create(actor=world.inspector, kind="hazards", content=workbook("hazards", rows))
    importer.import_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.heartbeat_at == timezone.now()
