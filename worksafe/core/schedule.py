"""Periodic work without cron. Apps register their jobs in `AppConfig.ready()`:

    schedule.register("hazards.escalation_sweep", every=timedelta(days=1),
                      task="worksafe.hazards.tasks.escalation_sweep_task")

Every task worker (`manage.py worker`) calls `enqueue_due()` every few seconds. Periods are
aligned to local midnight (a daily job's period is the local day), and each (job, period) is
enqueued exactly once however many workers run: see `ScheduledRun`."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun

log = logging.getLogger(__name__)

# Claims older than this are deleted: long enough to show what ran recently, short enough
# to keep the table small (a five-minute job adds 288 rows a day).
KEEP_CLAIMS = timedelta(days=7)
_EPOCH = datetime(2000, 1, 1)  # a local midnight; periods are counted from it


@dataclass(frozen=True)
class Periodic:
    name: str
    every: timedelta
    task: str  # dotted path of a django.tasks Task that takes no arguments
    at_start: bool = False  # also run it in the worker as it starts (recovery steps)


REGISTRY: dict[str, Periodic] = {}


def register(name: str, *, every: timedelta, task: str, at_start: bool = False) -> None:
    if every < timedelta(minutes=1) or timedelta(days=1) % every:
        raise ValueError(f"{name}: the period must divide a day and be at least a minute")
    REGISTRY[name] = Periodic(name, every, task, at_start)


def period_start(now: datetime, every: timedelta) -> datetime:
    """The start of the period holding `now`, in local time (aware)."""
    local = timezone.localtime(now).replace(tzinfo=None)
    start = _EPOCH + ((local - _EPOCH) // every) * every
    return timezone.make_aware(start)


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue every registered job whose current period has not been claimed yet; returns
    the names enqueued."""
    now = now or timezone.now()
    done = []
    for job in REGISTRY.values():
        start = period_start(now, job.every)
        try:
            with transaction.atomic():
                claim = ScheduledRun.objects.create(name=job.name, period_start=start)
                # Same transaction: a failed enqueue releases the claim; another worker's
                # insert of the same key waits for ours and then fails.
                result = import_string(job.task).enqueue()
                claim.task_id = str(result.id)[:64]
                claim.save(update_fields=["task_id"])
        except IntegrityError:
            continue
        done.append(job.name)
    ScheduledRun.objects.filter(enqueued_at__lt=now - KEEP_CLAIMS).delete()
    return done


def run_start_jobs() -> None:
    """Run the jobs marked `at_start` in this process, now (a worker starting up)."""
    for job in REGISTRY.values():
        if job.at_start:
            import_string(job.task).call()
