"""The hidden-danger register (domain.md §2, design.md "Hazard lifecycle")."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from worksafe.core.transitions import TransitionsMixin
from worksafe.orgs.models import Industry


# At module level so that Meta's constraints can be built from them (Hazard.Level, Hazard.Status).
class HazardLevel(models.TextChoices):
    GENERAL = "general", _("General")
    MAJOR = "major", _("Major")


class HazardStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    RECTIFYING = "rectifying", _("Rectifying")
    PENDING_ACCEPTANCE = "pending_acceptance", _("Pending acceptance")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Hazard(TransitionsMixin, models.Model):
    Level = HazardLevel
    Status = HazardStatus

    class Source(models.TextChoices):
        SELF_CHECK = "self_check", _("Self-check")
        INSPECTION = "inspection", _("Inspection")
        PUBLIC_REPORT = "public_report", _("Public report")
        OTHER = "other", _("Other")

    class Action(models.TextChoices):
        ASSIGN = "assign", _("Assign for rectification")
        SUBMIT = "submit", _("Submit rectification")
        ACCEPT = "accept", _("Accept and close")
        REJECT = "reject", _("Reject")
        CANCEL = "cancel", _("Cancel")

    # action -> (from states, to state); who may act is decided in rules.why_not
    TRANSITIONS = {
        Action.ASSIGN: ({Status.REPORTED}, Status.RECTIFYING),
        Action.SUBMIT: ({Status.RECTIFYING}, Status.PENDING_ACCEPTANCE),
        Action.ACCEPT: ({Status.PENDING_ACCEPTANCE}, Status.CLOSED),
        Action.REJECT: ({Status.PENDING_ACCEPTANCE}, Status.RECTIFYING),
        Action.CANCEL: ({Status.REPORTED, Status.RECTIFYING}, Status.CANCELLED),
    }
    OPEN_STATUSES = (Status.REPORTED, Status.RECTIFYING, Status.PENDING_ACCEPTANCE)
    PLAN_FIELDS = (
        "plan_measures",
        "plan_responsible_person",
        "plan_funds",
        "plan_deadline",
        "plan_contingency",
    )

    number = models.CharField(_("number"), max_length=40, unique=True, editable=False)
    enterprise = models.ForeignKey(
        "orgs.Organization", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="hazards"
    )
    # Copied from the enterprise at registration: scope filters on them without a join.
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    industry = models.CharField(_("industry"), max_length=32, choices=Industry.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REPORTED)
    due_date = models.DateField(_("due date"))
    responsible_person = models.CharField(_("responsible person"), max_length=100, blank=True)
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewing expert"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards_to_review",
    )
    # The five implementations of a major hidden danger (措施、责任、资金、时限、预案, domain.md §2.2).
    plan_measures = models.TextField(_("measures"), blank=True)
    plan_responsible_person = models.CharField(
        _("person responsible for the plan"), max_length=100, blank=True
    )
    plan_funds = models.DecimalField(
        _("funds (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    plan_deadline = models.DateField(_("plan deadline"), null=True, blank=True)
    plan_contingency = models.TextField(_("contingency plan"), blank=True)

    rejection_count = models.PositiveIntegerField(_("rejections"), default=0)
    escalation_step = models.PositiveSmallIntegerField(_("escalation step"), default=0)
    escalated_on = models.DateField(_("last escalated on"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("hidden danger")
        verbose_name_plural = _("hidden dangers")
        indexes = [
            models.Index(fields=["region", "id"], name="hazard_region_id"),
            models.Index(fields=["enterprise", "id"], name="hazard_enterprise_id"),
            # An enterprise's counts by status, level and due date from the index alone: its
            # hazards are scattered over the table, and reading each row is what made them slow.
            models.Index(
                fields=["enterprise", "status", "level", "due_date"], name="hazard_enterprise_counts"
            ),
            models.Index(fields=["industry", "region", "id"], name="hazard_industry_region_id"),
            models.Index(fields=["status", "due_date"], name="hazard_status_due"),
            models.Index(fields=["expert", "id"], name="hazard_expert_id"),
            # An inspector's list: newest first within one industry, filtered by region.
            models.Index(fields=["industry", "id"], name="hazard_industry_id"),
            # Overdue and due-soon counts read only open hazards: a small index however many
            # closed ones pile up, and it answers region, industry and date without the table.
            models.Index(
                fields=["region", "due_date", "industry"],
                name="hazard_open_region_due",
                condition=Q(status__in=["reported", "rectifying", "pending_acceptance"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=HazardLevel.values), name="hazard_level_valid"),
            models.CheckConstraint(condition=Q(status__in=HazardStatus.values), name="hazard_status_valid"),
            models.CheckConstraint(
                condition=Q(plan_funds__isnull=True) | Q(plan_funds__gte=0), name="hazard_funds_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def days_overdue(self, today: date | None = None) -> int:
        """Days past the due date while open (Asia/Shanghai calendar); 0 when not overdue."""
        if not self.is_open:
            return 0
        today = today or timezone.localdate()
        return max((today - self.due_date).days, 0)

    @property
    def overdue(self) -> bool:
        return self.days_overdue() > 0

    @property
    def plan_complete(self) -> bool:
        return all(getattr(self, name) not in (None, "") for name in self.PLAN_FIELDS)

    @property
    def missing_plan_fields(self) -> list[str]:
        return [name for name in self.PLAN_FIELDS if getattr(self, name) in (None, "")]

    @property
    def escalation(self):
        """(code, label) of the current escalation step, or None."""
        ladder = settings.WORKSAFE_ESCALATION_LADDER
        if not self.escalation_step or not ladder:
            return None
        # A ladder shortened after hazards climbed it: they stand on its top step.
        code, _days, label = ladder[min(self.escalation_step, len(ladder)) - 1]
        return code, label


def overdue_q(today: date) -> Q:
    return Q(status__in=Hazard.OPEN_STATUSES, due_date__lt=today)


class HazardCounter(models.Model):
    """Next hazard number per region and year; the row lock makes numbers unique under load."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="hazard_counter_region_year")]


class HazardTally(models.Model):
    """How many hazards exist per (region, industry, status, level).

    Counting two million hazards for every dashboard costs a scan; these counters cost a few
    hundred rows at most, however large the register grows. Database triggers (migration 0005)
    keep them exact in the same transaction as every hazard write, whatever path the write
    takes (services, admin, bulk loads, tests), and the row lock on a counter serialises
    concurrent writers. tally.py rebuilds them after a load that bypassed the triggers."""

    BACKUP_DERIVED = True  # rebuilt by the triggers as a restore inserts the hazards

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.DO_NOTHING, db_constraint=False
    )
    industry = models.CharField(_("industry"), max_length=32)
    status = models.CharField(_("status"), max_length=20)
    level = models.CharField(_("level"), max_length=10)
    n = models.BigIntegerField(_("count"), default=0)

    class Meta:
        # The table, its constraints and its triggers keep the names they were created with
        # (in the former scale app): renaming them would rebuild the table for nothing.
        db_table = "scale_hazardtally"
        verbose_name = _("hazard tally")
        verbose_name_plural = _("hazard tallies")
        constraints = [
            models.UniqueConstraint(fields=["region", "industry", "status", "level"], name="scale_tally_key"),
            models.CheckConstraint(condition=Q(n__gte=0), name="scale_tally_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.industry}/{self.status}/{self.level}: {self.n}"


def evidence_path(instance, filename: str) -> str:
    # The stored name is ours, never the uploader's: no path tricks, no collisions.
    return f"evidence/{timezone.now():%Y/%m}/{filename}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        BEFORE = "before", _("Before rectification")
        AFTER = "after", _("After rectification")

    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return f"{self.hazard_id}/{self.kind}/{self.original_name}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
