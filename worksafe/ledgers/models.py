"""An import of one spreadsheet: who sent it, how far it got, and what became of each row."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from worksafe.audit.models import SubjectType
from worksafe.core.transitions import TransitionsMixin


class ImportKind(models.TextChoices):
    ENTERPRISES = "enterprises", _("Enterprises")
    HAZARDS = "hazards", _("Hidden dangers")


class ImportJob(TransitionsMixin, models.Model):
    AUDIT_SUBJECT = SubjectType.IMPORT_JOB

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("import status", "Queued")
        RUNNING = "running", pgettext_lazy("import status", "Running")
        DONE = "done", pgettext_lazy("import status", "Done")
        FAILED = "failed", pgettext_lazy("import status", "Failed")

    class Action(models.TextChoices):
        START = "start"
        FINISH = "finish"
        FAIL = "fail"
        REQUEUE = "requeue"

    # action -> (from states, to state): the task starts a job and finishes or fails it;
    # recovery takes a running job whose worker died back to queued (a check) or fails it (an
    # import). The jobs are moved by conditional UPDATEs, not row locks (see services).
    TRANSITIONS = {
        Action.START: ({Status.QUEUED}, Status.RUNNING),
        Action.FINISH: ({Status.RUNNING}, Status.DONE),
        Action.FAIL: ({Status.RUNNING}, Status.FAILED),
        Action.REQUEUE: ({Status.RUNNING}, Status.QUEUED),
    }

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs")
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    dry_run = models.BooleanField(default=True)
    file = models.FileField(upload_to="ledgers/%Y/%m/")
    original_name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=10, default="zh-hans")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    done_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    detail = models.CharField(max_length=500, blank=True)
    results = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Touched with every row done: a running job whose heartbeat stops had its worker die.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A check is imported at most once: this points at the import made from it.
    applied_job = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="checked_job"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.done_rows * 100 // self.total_rows)
