"""The task worker with the schedule: `db_worker`, plus periodic jobs enqueued on time and the
recovery steps run as it starts. Run as many as you like; each period is enqueued once."""

import logging
import threading
import time

from django.db import connection
from django_tasks_db.management.commands import db_worker

from worksafe.core import schedule

log = logging.getLogger(__name__)


def _tick_forever(interval: float) -> None:
    while True:
        try:
            schedule.enqueue_due()
        except Exception:  # a database hiccup must not end the schedule; try again next tick
            log.exception("schedule tick failed")
        finally:
            connection.close()  # this thread's own connection; never hold one while idle
        time.sleep(interval)


class Command(db_worker.Command):
    help = "Runs background tasks and enqueues the periodic jobs on time (see worksafe.core.schedule)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Reloading restarts a task half done and, under `serve`, leaves a process behind.
        parser.set_defaults(reload=False)
        parser.add_argument(
            "--schedule-every",
            type=float,
            default=30.0,
            help="Seconds between two looks at the schedule; 0 turns the schedule off (default 30).",
        )

    def handle(self, *args, schedule_every: float, **options):
        schedule.run_start_jobs()
        if schedule_every > 0 and not options["batch"]:
            # A daemon thread: it ends with the worker, and a tick cut short rolls back whole.
            threading.Thread(
                target=_tick_forever, args=(schedule_every,), name="schedule", daemon=True
            ).start()
        super().handle(*args, **options)
