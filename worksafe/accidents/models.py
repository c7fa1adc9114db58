"""Production-safety accidents: report, grade, reporting chain, investigation, accountability
(domain.md §1, §5, §6)."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from worksafe.orgs.models import Industry


class Grade(models.TextChoices):
    """Order 493 Art. 3 grades, lowest first (domain.md §1.1)."""

    GENERAL = "general", _("General")
    LARGER = "larger", _("Larger")
    SERIOUS = "serious", _("Serious")
    PARTICULARLY_SERIOUS = "particularly_serious", _("Particularly serious")


GRADE_RANK = {grade: rank for rank, grade in enumerate(Grade.values)}


class AuthorityLevel(models.TextChoices):
    """Government levels of the reporting chain and of the investigation (domain.md §1.2, §1.3)."""

    UNIT = "unit", _("Accident unit")
    COUNTY = "county", _("County level")
    CITY = "city", _("Prefecture city level")
    PROVINCE = "province", _("Province level")
    STATE_COUNCIL = "state_council", _("State Council / Ministry of Emergency Management")


LEVEL_RANK = {level: rank for rank, level in enumerate(AuthorityLevel.values)}


class AccidentType(models.TextChoices):
    # Road-traffic and fire accidents have a 7-day supplementary window instead of 30 (§1.2 item 5).
    PRODUCTION = "production", _("Production safety accident")
    ROAD_TRAFFIC = "road_traffic", _("Road traffic accident")
    FIRE = "fire", _("Fire accident")


class Accident(models.Model):
    occurred_at = models.DateTimeField(_("occurred at"))
    # When the unit's head learned of it: the 1-hour clock of Art. 9 starts here (§1.2 item 2).
    learned_at = models.DateTimeField(_("unit learned of it at"))
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    enterprise = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accidents",
    )
    industry = models.CharField(_("industry"), max_length=32, choices=Industry.choices)
    accident_type = models.CharField(
        _("accident type"), max_length=20, choices=AccidentType.choices, default=AccidentType.PRODUCTION
    )
    location = models.CharField(pgettext_lazy("accident", "location"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    deaths = models.PositiveIntegerField(_("deaths"))
    missing = models.PositiveIntegerField(_("missing"), default=0)
    serious_injuries = models.PositiveIntegerField(_("serious injuries"))
    direct_economic_loss = models.DecimalField(
        _("direct economic loss (yuan)"), max_digits=14, decimal_places=2
    )
    grade = models.CharField(_("grade"), max_length=24, choices=Grade.choices)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("accident", "reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("accident")
        verbose_name_plural = _("accidents")
        indexes = [
            models.Index(fields=["region", "id"], name="accident_region_id"),
            models.Index(fields=["enterprise", "id"], name="accident_enterprise_id"),
            models.Index(fields=["industry", "region", "id"], name="accident_industry_region_id"),
            models.Index(fields=["occurred_at"], name="accident_occurred_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(direct_economic_loss__gte=0), name="accident_loss_nonneg"),
            models.CheckConstraint(
                condition=Q(grade__in=Grade.values),
                name="accident_grade_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.region_id} {self.get_grade_display()}"

    @property
    def occurred_on(self) -> date:
        """The accident's calendar day in local time (Asia/Shanghai)."""
        return timezone.localtime(self.occurred_at).date()

    @property
    def supplementary_window_days(self) -> int:
        # domain.md §1.2 item 5: 30 days; 7 for road-traffic and fire accidents.
        short = self.accident_type in (AccidentType.ROAD_TRAFFIC, AccidentType.FIRE)
        return 7 if short else 30

    @property
    def supplementary_window_closes_on(self) -> date:
        """Last day (inclusive) on which a casualty change still calls for a supplementary report.
        Periods in days start counting on the day after the event, as usual in Chinese law."""
        return self.occurred_on + timedelta(days=self.supplementary_window_days)

    def in_supplementary_window(self, at) -> bool:
        return timezone.localtime(at).date() <= self.supplementary_window_closes_on


class GradeChange(models.Model):
    """The grade history: one row at creation and one per change of figures (domain.md §1.1)."""

    accident = models.ForeignKey(Accident, on_delete=models.CASCADE, related_name="grade_changes")
    at = models.DateTimeField(_("at"), default=timezone.now)
    from_grade = models.CharField(_("from grade"), max_length=24, choices=Grade.choices, blank=True)
    to_grade = models.CharField(_("to grade"), max_length=24, choices=Grade.choices)
    deaths = models.PositiveIntegerField(_("deaths"))
    missing = models.PositiveIntegerField(_("missing"))
    serious_injuries = models.PositiveIntegerField(_("serious injuries"))
    direct_economic_loss = models.DecimalField(
        _("direct economic loss (yuan)"), max_digits=14, decimal_places=2
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")


class ReportDuty(models.Model):
    """One report the chain owes (domain.md §1.2): who reports to which level, by when."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initial report")
        SUPPLEMENTARY = "supplementary", _("Supplementary report")

    class Irregularity(models.TextChoices):
        NONE = "", _("None")
        CONCEALED = "concealed", _("Concealed (瞒报)")
        FALSE = "false", _("False report (谎报)")

    accident = models.ForeignKey(Accident, on_delete=models.CASCADE, related_name="report_duties")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    from_level = models.CharField(
        pgettext_lazy("accident", "reported by"), max_length=16, choices=AuthorityLevel.choices
    )
    to_level = models.CharField(_("reported to"), max_length=16, choices=AuthorityLevel.choices)
    due_at = models.DateTimeField(_("due at"))
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    irregularity = models.CharField(
        _("irregularity"), max_length=12, choices=Irregularity.choices, blank=True, default=""
    )
    irregularity_note = models.TextField(_("irregularity note"), blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("report duty")
        verbose_name_plural = _("report duties")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ON_TIME = "on_time", _("Reported on time")
        LATE = "late", _("Late (迟报)")
        MISSING = "missing", _("Missing (漏报)")

    def status_at(self, now) -> str:
        if self.reported_at is not None:
            return self.Status.LATE if self.reported_at > self.due_at else self.Status.ON_TIME
        return self.Status.MISSING if now > self.due_at else self.Status.PENDING

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class Investigation(models.Model):
    """Investigation of one accident (domain.md §1.3) with its three tracks (一案三查, §6)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Under way")
        CONCLUDED = "concluded", _("Concluded")

    BASE_DAYS = 60  # §1.3: report due 60 days from the accident
    MAX_EXTENSION_DAYS = 60  # §1.3: extension with approval, at most +60 days

    accident = models.OneToOneField(Accident, on_delete=models.CASCADE, related_name="investigation")
    lead_level = models.CharField(_("lead authority level"), max_length=16, choices=AuthorityLevel.choices)
    lead_authority = models.CharField(_("lead authority"), max_length=200, blank=True)
    team = models.JSONField(_("team members"), default=list, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    extension_approved_by = models.CharField(_("extension approved by"), max_length=200, blank=True)
    extension_reason = models.TextField(_("extension reason"), blank=True)
    direct_causes = models.TextField(_("direct causes"), blank=True)
    indirect_causes = models.TextField(_("indirect causes"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        constraints = [
            models.CheckConstraint(condition=Q(extension_days__lte=60), name="investigation_extension_max")
        ]

    @property
    def due_on(self) -> date:
        return self.accident.occurred_on + timedelta(days=self.BASE_DAYS + self.extension_days)

    def overdue(self, today: date | None = None) -> bool:
        return self.status == self.Status.OPEN and (today or timezone.localdate()) > self.due_on


class Track(models.Model):
    """One of the three lines of inquiry of 一案三查 (domain.md §6)."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("The enterprise's main responsibility")
        REGULATORS = "regulators", _("The regulators' supervision responsibility")
        LOCAL_GOVERNMENT = "local_government", _("The local Party and government leadership responsibility")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("investigation track", "Open")
        CLOSED = "closed", pgettext_lazy("investigation track", "Closed")

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="tracks")
    kind = models.CharField(_("track"), max_length=20, choices=Kind.choices)
    findings = models.TextField(_("findings"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(pgettext_lazy("investigation track", "closed at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["investigation", "kind"], name="track_one_per_kind"),
        ]


class Decision(models.Model):
    """An accountability decision against an organization or a person."""

    class Kind(models.TextChoices):
        ADMINISTRATIVE_FINE = "administrative_fine", _("Administrative fine")
        DISCIPLINARY_SANCTION = "disciplinary_sanction", _("Disciplinary sanction")
        REMOVAL = "removal", _("Removal from post")
        CRIMINAL_REFERRAL = "criminal_referral", _("Criminal referral")
        INTERVIEW = "interview", _("Interview (约谈)")
        NOTIFICATION = "notification", _("Notification (通报)")

    class Subject(models.TextChoices):
        ENTERPRISE = "enterprise", _("The enterprise (unit)")
        PRINCIPAL_PERSON = "principal_person", _("The enterprise's principal person")
        ORGANIZATION = "organization", _("Another organization")
        PERSON = "person", _("Another person")

    accident = models.ForeignKey(Accident, on_delete=models.CASCADE, related_name="decisions")
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices)
    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person_name = models.CharField(_("person"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    basis = models.TextField(_("legal basis"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    previous_year_income = models.DecimalField(
        _("previous-year income (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    law_version = models.CharField(_("law version"), max_length=10, blank=True)
    range_min = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    range_max = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    aggravated = models.BooleanField(_("particularly grave circumstances"), default=False)
    outside_range = models.BooleanField(_("outside the proposed range"), default=False)
    outside_range_reason = models.TextField(_("reason for leaving the range"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("accountability decision")
        verbose_name_plural = _("accountability decisions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outside_range=True) | ~Q(outside_range_reason=""),
                name="decision_outside_range_has_reason",
            ),
        ]
