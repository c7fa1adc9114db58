"""The ledgers' work for the task worker, and the one place that queues it: services hand a job
over with `enqueue_run`; recovery takes back the jobs of workers that died."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from worksafe.audit.services import record_event

from .importer import import_run, still_running
from .models import ImportJob


@task
def run_import_task(job_id: int) -> int:
    """Work through one uploaded ledger; returns the rows done."""
    return import_run(job_id=job_id).done_rows


@task
def recover_imports_task() -> int:
    """Take back the jobs of workers that died (on the schedule and as a worker starts)."""
    return import_recover()


def enqueue_run(job: ImportJob) -> None:
    """Queue the job once the transaction that made it commits (a worker must find its row)."""
    transaction.on_commit(lambda: run_import_task.enqueue(job.pk))


def import_recover(*, now: datetime | None = None) -> int:
    """Jobs whose worker died: running, with no heartbeat for WORKSAFE_IMPORT_STALE_SECONDS.
    A check kept nothing, so it is queued again; an import kept the rows it made, so running it
    again would make them twice: it is failed, saying how far it got. Returns the jobs handled."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.WORKSAFE_IMPORT_STALE_SECONDS)
    stale = ImportJob.objects.filter(status=ImportJob.Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )
    handled = 0
    for job in stale:
        if job.dry_run:
            handled += _take_back(
                job,
                ImportJob.Action.REQUEUE,
                started_at=None,
                heartbeat_at=None,
                done_rows=0,
                created_count=0,
                failed_count=0,
            )
            continue
        with translation.override(job.language):
            detail = _(
                "The worker stopped after %(done)s of %(total)s rows. The rows done so far were "
                "saved: check the register before importing the rest."
            ) % {"done": job.done_rows, "total": job.total_rows}
        handled += _take_back(job, ImportJob.Action.FAIL, detail=detail, finished_at=now)
    return handled


@transaction.atomic
def _take_back(job: ImportJob, action: str, **fields) -> int:
    before, after = job.apply(action)
    # Conditional on the heartbeat read above: a worker that wakes up meanwhile keeps its job.
    if not still_running(job).filter(heartbeat_at=job.heartbeat_at).update(status=after, **fields):
        return 0
    record_event(
        actor=None,
        subject=job,
        # A failed import's event is a "finish", like the worker's own (see _finish).
        action=ImportJob.Action.FINISH if action == ImportJob.Action.FAIL else action,
        from_status=before,
        to_status=after,
        data={"reason": "worker_lost", "done_rows": job.done_rows},
    )
    if after == ImportJob.Status.QUEUED:
        enqueue_run(job)
    return 1
