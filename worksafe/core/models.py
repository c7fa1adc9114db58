"""What the core keeps for everyone: the claims of periodic jobs (see schedule.py)."""

from django.db import models


class ScheduledRun(models.Model):
    """One period of one periodic job, enqueued once. The unique key is the claim: the worker
    whose insert succeeds enqueues the job, in the same transaction; the others skip it."""

    name = models.CharField(max_length=80)
    period_start = models.DateTimeField()
    task_id = models.CharField(max_length=64, blank=True)
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "period_start"], name="scheduled_run_once")]

    def __str__(self) -> str:
        return f"{self.name} @ {self.period_start:%Y-%m-%d %H:%M}"
