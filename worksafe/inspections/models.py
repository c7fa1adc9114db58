"""Checklists, inspections and their findings, supervision of governments, enforcement.

Rules about one object live here (transition tables, small predicates); workflows across
objects are in services.py, scoped reads in selectors.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from worksafe.audit.models import SubjectType
from worksafe.core.transitions import TransitionsMixin
from worksafe.orgs.models import Industry


class ChecklistTemplate(models.Model):
    """A versioned checklist. Shipped templates have no owner; an admin or office adapts one by
    copying it. Once an inspection uses a template it is frozen: changes make a new version."""

    AUDIT_SUBJECT = SubjectType.CHECKLIST

    code = models.CharField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"), default=1)
    industry = models.CharField(_("industry"), max_length=32, choices=Industry.choices)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(pgettext_lazy("checklist", "source"), max_length=300, blank=True)
    owner = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    based_on = models.ForeignKey(
        "self", verbose_name=_("based on"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["industry", "code", "-version"]
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="insp_checklist_code_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class ChecklistItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("item"))
    gloss = models.TextField(_("English gloss"), blank=True)
    is_major = models.BooleanField(_("failing it is a major hidden danger"), default=False)
    source = models.CharField(pgettext_lazy("checklist", "source"), max_length=300, blank=True)

    class Meta:
        ordering = ["template", "position", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def wording(self) -> str:
        """The item in the reader's language (the text is Chinese, the gloss English); the other
        language only when that one is missing."""
        if (get_language() or "").startswith("zh"):
            return self.text or self.gloss
        return self.gloss or self.text


class InspectionPlan(models.Model):
    """A campaign's draw of targets and inspectors. Everything needed to reproduce the draw is
    stored: the candidate and pool ids in the order drawn from, the seed and the counts."""

    AUDIT_SUBJECT = SubjectType.INSPECTION_PLAN

    class Method(models.TextChoices):
        RULE = "rule", _("By rule")
        RANDOM = "random", _("Random (double random)")

    name = models.CharField(_("name"), max_length=200)
    organizer = models.ForeignKey("orgs.Organization", null=True, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", null=True, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    criteria = models.JSONField(_("criteria"), default=dict)
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    target_count = models.PositiveIntegerField(_("targets to draw"))
    team_size = models.PositiveIntegerField(_("inspectors per target"), default=2)
    candidates = models.JSONField(default=list)
    pool = models.JSONField(default=list)
    draw = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")

    def __str__(self) -> str:
        return self.name


# At module level so that Meta's constraint can be built from it (Inspection.Status).
class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class Inspection(TransitionsMixin, models.Model):
    class Kind(models.TextChoices):
        ROUTINE = "routine", _("Routine")
        SPECIAL = "special", _("Special (campaign)")
        UNANNOUNCED = "unannounced", _("Unannounced")
        GOVERNMENT_SUPERVISION = "government_supervision", _("Supervision of a government")

    Status = InspectionStatus

    class Action(models.TextChoices):
        START = "start", pgettext_lazy("inspection", "Start")
        FINISH = "finish", pgettext_lazy("inspection", "Finish")
        CANCEL = "cancel", pgettext_lazy("inspection", "Cancel")

    TRANSITIONS = {
        Action.START: ({Status.PLANNED}, Status.IN_PROGRESS),
        Action.FINISH: ({Status.IN_PROGRESS}, Status.FINISHED),
        Action.CANCEL: ({Status.PLANNED}, Status.CANCELLED),
    }

    target = models.ForeignKey(
        "orgs.Organization", verbose_name=_("target"), on_delete=models.PROTECT, related_name="inspections"
    )
    # Copied from the target: scope filters on them without a join.
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    industry = models.CharField(_("industry"), max_length=32, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    planned_on = models.DateField(_("planned on"))
    checklist = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("checklist"), null=True, blank=True, on_delete=models.PROTECT
    )
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("team"), related_name="+")
    organizer = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organizer"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    plan = models.ForeignKey(InspectionPlan, null=True, blank=True, on_delete=models.PROTECT)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    start_lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    start_lng = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    found_operating = models.BooleanField(_("found operating"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        indexes = [
            models.Index(fields=["region", "id"], name="insp_region_id"),
            models.Index(fields=["target", "id"], name="insp_target_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=InspectionStatus.values),
                name="insp_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(start_lat__isnull=True) | Q(start_lat__gte=-90, start_lat__lte=90),
                name="insp_lat_range",
            ),
            models.CheckConstraint(
                condition=Q(start_lng__isnull=True) | Q(start_lng__gte=-180, start_lng__lte=180),
                name="insp_lng_range",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.target}"

    @property
    def is_supervision(self) -> bool:
        return self.kind == self.Kind.GOVERNMENT_SUPERVISION

    @property
    def start_position(self) -> str:
        """Where the inspection started, for reading: degrees to four places (about 10 m)."""
        if self.start_lat is None or self.start_lng is None:
            return ""
        lat, lng = f"{abs(self.start_lat):.4f}", f"{abs(self.start_lng):.4f}"
        north = _("%(deg)s° N") if self.start_lat >= 0 else _("%(deg)s° S")
        east = _("%(deg)s° E") if self.start_lng >= 0 else _("%(deg)s° W")
        return _("%(lat)s, %(lng)s") % {"lat": north % {"deg": lat}, "lng": east % {"deg": lng}}


def hidden_from_target_q(org_id) -> Q:
    """Unannounced inspections not yet started, of the given organization (四不两直, domain.md §6):
    its own users must not learn of them."""
    return Q(kind=Inspection.Kind.UNANNOUNCED, started_at__isnull=True, target_id=org_id)


class Answer(models.Model):
    class Result(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    note = models.TextField(_("note"), blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="insp_answer_once")]


class Finding(models.Model):
    """A problem seen that no checklist item covers."""

    class Level(models.TextChoices):
        GENERAL = "general", _("General")
        MAJOR = "major", _("Major")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.GENERAL)
    hazard = models.ForeignKey(
        "hazards.Hazard", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


def photo_path(instance, filename: str) -> str:
    return f"inspections/{filename}"


class Photo(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    item = models.ForeignKey(ChecklistItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(upload_to=photo_path, max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class Opinion(TransitionsMixin, models.Model):
    """A rectification opinion from the supervision of a lower government, tracked like a
    hidden danger: deadline, progress reports, acceptance."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        RECTIFYING = "rectifying", _("Rectifying")
        PENDING_ACCEPTANCE = "pending_acceptance", _("Pending acceptance")
        CLOSED = "closed", _("Closed")

    class Action(models.TextChoices):
        REPORT = "report", _("Report progress")
        SUBMIT = "submit", _("Submit for acceptance")
        ACCEPT = "accept", _("Accept")
        REJECT = "reject", pgettext_lazy("rectification opinion", "Reject")

    TRANSITIONS = {
        Action.REPORT: ({Status.ISSUED, Status.RECTIFYING}, Status.RECTIFYING),
        Action.SUBMIT: ({Status.ISSUED, Status.RECTIFYING}, Status.PENDING_ACCEPTANCE),
        Action.ACCEPT: ({Status.PENDING_ACCEPTANCE}, Status.CLOSED),
        Action.REJECT: ({Status.PENDING_ACCEPTANCE}, Status.RECTIFYING),
    }

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="opinions")
    addressee = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("opinion"))
    is_major = models.BooleanField(default=False)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ISSUED)
    answer = models.OneToOneField(Answer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    finding = models.OneToOneField(Finding, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("rectification opinion")
        verbose_name_plural = _("rectification opinions")

    @property
    def overdue(self) -> bool:
        return self.status != self.Status.CLOSED and self.deadline < timezone.localdate()


class OpinionReport(models.Model):
    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="reports")
    action = models.CharField(max_length=20)
    note = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class Enforcement(models.Model):
    class Kind(models.TextChoices):
        ORDER_RECTIFY = "order_rectify", _("Order to rectify")
        WARNING = "warning", pgettext_lazy("penalty", "Warning")
        FINE = "fine", _("Fine")
        SUSPEND = "suspend", _("Suspension of production")
        CLOSE = "close", _("Closure")
        REFERRAL = "referral", _("Referral")

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        COMPLETED = "completed", _("Completed")
        PENDING = "pending", _("Referred, awaiting action")
        ACTED = "acted", _("Referred, acted upon")

    # Kinds only a department that may penalize, supervising the target, may issue.
    PENALTIES = {Kind.WARNING, Kind.FINE, Kind.SUSPEND, Kind.CLOSE}

    target = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    industry = models.CharField(max_length=32)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    issued_by = models.ForeignKey(
        "orgs.Organization", verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    # The article picked from inspections/penalties.py, when one is; its range bounds a fine.
    legal_article = models.CharField(_("article"), max_length=40, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    # The document's number as issued, e.g. "(大)应急罚〔2026〕12号" (domain.md §10), when known.
    number = models.CharField(_("document number"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referred_to = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referral = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="actions_taken"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("enforcement action")
        verbose_name_plural = _("enforcement actions")
        indexes = [models.Index(fields=["region", "id"], name="insp_enf_region_id")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="insp_enf_amount"
            ),
        ]


class ResumptionCase(models.Model):
    """An enterprise ordered to suspend or close found operating by a later inspection."""

    AUDIT_SUBJECT = SubjectType.RESUMPTION_CASE

    enterprise = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    inspection = models.OneToOneField(Inspection, on_delete=models.PROTECT, related_name="resumption_case")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    industry = models.CharField(max_length=32)
    enterprise_status = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
