"""Target-responsibility assessment of regions and departments, with the one-vote veto
(一票否决, domain.md §6)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from worksafe.audit.models import SubjectType
from worksafe.core.transitions import TransitionsMixin

DEFAULT_VETO_GRADES = ["larger", "serious", "particularly_serious"]


def default_veto_grades() -> list[str]:
    return list(DEFAULT_VETO_GRADES)


class Period(TransitionsMixin, models.Model):
    AUDIT_SUBJECT = SubjectType.ASSESSMENT_PERIOD

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Action(models.TextChoices):
        PUBLISH = "publish", _("Publish")
        REOPEN = "reopen", _("Reopen")

    TRANSITIONS = {
        Action.PUBLISH: ({Status.DRAFT}, Status.PUBLISHED),
        Action.REOPEN: ({Status.PUBLISHED}, Status.DRAFT),
    }

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("assessing region"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # One-vote veto: an accident of one of these grades in a subject's scope and period fails it.
    veto_grades = models.JSONField(_("veto accident grades"), default=default_veto_grades, blank=True)
    # A subject with data scoring at least this many points is qualified (合格).
    pass_mark = models.DecimalField(_("pass mark"), max_digits=6, decimal_places=2, default=Decimal(60))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("assessment period")
        verbose_name_plural = _("assessment periods")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="period_dates")
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    class Metric(models.TextChoices):
        HAZARD_CLOSURE_RATE = "hazard_closure_rate", _("Hidden-danger closure rate")
        HAZARD_OVERDUE_RATE = "hazard_overdue_rate", _("Hidden-danger overdue rate")
        ACCIDENTS = "accidents", pgettext_lazy("assessment indicator", "Accidents")
        DEATHS = "deaths", _("Deaths (missing included)")
        INSPECTIONS = "inspections", _("Inspections finished")
        ENFORCEMENT = "enforcement", _("Enforcement actions")
        MANUAL = "manual", _("Manual item with evidence")

    class Rule(models.TextChoices):
        RATE_HIGHER_BETTER = "rate_higher_better", _("Rate, higher is better: weight × rate")
        RATE_LOWER_BETTER = "rate_lower_better", _("Rate, lower is better: weight × (1 − rate)")
        COUNT_PENALTY = "count_penalty", _("Count: weight − penalty × count, not below 0")
        COUNT_REWARD = "count_reward", _("Count: points × count, at most the weight")
        MANUAL = "manual", _("Manual score, at most the weight")

    # Which rules fit which metric.
    RULES_FOR = {
        Metric.HAZARD_CLOSURE_RATE: {Rule.RATE_HIGHER_BETTER, Rule.RATE_LOWER_BETTER},
        Metric.HAZARD_OVERDUE_RATE: {Rule.RATE_HIGHER_BETTER, Rule.RATE_LOWER_BETTER},
        Metric.ACCIDENTS: {Rule.COUNT_PENALTY},
        Metric.DEATHS: {Rule.COUNT_PENALTY},
        Metric.INSPECTIONS: {Rule.COUNT_REWARD},
        Metric.ENFORCEMENT: {Rule.COUNT_REWARD},
        Metric.MANUAL: {Rule.MANUAL},
    }

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    metric = models.CharField(_("metric"), max_length=24, choices=Metric.choices)
    rule = models.CharField(_("scoring rule"), max_length=24, choices=Rule.choices)
    weight = models.DecimalField(_("weight (points)"), max_digits=6, decimal_places=2)
    # Points per unit counted: subtracted by count_penalty, added by count_reward.
    penalty = models.DecimalField(_("points per unit"), max_digits=6, decimal_places=2, default=Decimal(0))

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0), name="indicator_weight_positive")]

    def __str__(self) -> str:
        return self.name


class Subject(models.Model):
    """Who is assessed: a region (its whole area) or a department (its area and industries)."""

    class Kind(models.TextChoices):
        REGION = "region", pgettext_lazy("assessment subject", "Region")
        DEPARTMENT = "department", pgettext_lazy("assessment subject", "Department")

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="subjects")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "region", "organization"], name="subject_unique"),
            models.UniqueConstraint(
                fields=["period", "region"],
                condition=Q(organization__isnull=True),
                name="subject_region_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ManualScore(models.Model):
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="manual_scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    evidence = models.TextField(_("evidence"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subject", "indicator"], name="manual_score_unique")]


class Result(models.Model):
    subject = models.OneToOneField(Subject, on_delete=models.CASCADE, related_name="result")
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    breakdown = models.JSONField(_("breakdown"), default=list)
    vetoed = models.BooleanField(_("vetoed"), default=False)
    veto_accident = models.ForeignKey(
        "accidents.Accident", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    veto_reason = models.TextField(_("veto reason"), blank=True)
    # Nothing happened in the subject's scope in the period (no hidden danger, accident,
    # inspection, enforcement or manual score): its score measures nothing, so it never passes.
    no_data = models.BooleanField(_("no data"), default=False)
    passed = models.BooleanField(_("qualified"), default=False)
    rank = models.PositiveIntegerField(_("rank"))

    class Meta:
        ordering = ["rank", "id"]

    @property
    def veto_text(self) -> str:
        """The veto's reason in the reader's language; veto_reason keeps the language the results
        were computed in."""
        return veto_reason(self.veto_accident) if self.veto_accident else self.veto_reason


def veto_reason(accident) -> str:
    # 一票否决 (domain.md §6): fails whatever the score, naming the accident.
    return _("%(grade)s accident on %(day)s in %(region)s (accident #%(id)s).") % {
        "grade": accident.get_grade_display(),
        "day": accident.occurred_on.isoformat(),
        "region": accident.region.name,
        "id": accident.pk,
    }
