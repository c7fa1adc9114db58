"""Writes about assessments: periods, indicators, subjects, manual scores, computing and publishing."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from worksafe.accidents.models import Grade
from worksafe.audit.services import record_event
from worksafe.core.dates import in_range, out_of_range_message
from worksafe.core.errors import TITLE_MAX, Forbidden, Invalid, NotFound, clean_text
from worksafe.core.transitions import lock_versioned, save_versioned, transition
from worksafe.orgs.models import Organization, User
from worksafe.orgs.scope import sees_region
from worksafe.orgs.selectors import organization_list
from worksafe.regions.models import Region
from worksafe.regions.selectors import region_get

from . import rules
from .models import DEFAULT_VETO_GRADES, Indicator, ManualScore, Period, Result, Subject, veto_reason
from .selectors import period_list, subject_figures

CENT = Decimal("0.01")

# A usual yearly set (weights add up to 100); offices adapt it per period.
DEFAULT_INDICATORS = [
    ("隐患整改销号率", Indicator.Metric.HAZARD_CLOSURE_RATE, Indicator.Rule.RATE_HIGHER_BETTER, 25, 0),
    ("隐患超期未整改率", Indicator.Metric.HAZARD_OVERDUE_RATE, Indicator.Rule.RATE_LOWER_BETTER, 15, 0),
    ("生产安全事故起数", Indicator.Metric.ACCIDENTS, Indicator.Rule.COUNT_PENALTY, 15, 5),
    ("事故死亡（含失踪）人数", Indicator.Metric.DEATHS, Indicator.Rule.COUNT_PENALTY, 15, 5),
    ("监督检查完成次数", Indicator.Metric.INSPECTIONS, Indicator.Rule.COUNT_REWARD, 10, 1),
    ("执法处罚次数", Indicator.Metric.ENFORCEMENT, Indicator.Rule.COUNT_REWARD, 10, 2),
    ("安全生产责任制落实（人工评分）", Indicator.Metric.MANUAL, Indicator.Rule.MANUAL, 10, 0),
]


def _decimal(value, field: str, errors: dict, *, minimum=Decimal(0), maximum=Decimal(1000)) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(_("Enter a number."))
        return None
    if not number.is_finite() or number < minimum or number > maximum:
        errors.setdefault(field, []).append(
            _("Enter a number from %(min)s to %(max)s.") % {"min": minimum, "max": maximum}
        )
        return None
    return number.quantize(CENT)


def _managed(
    actor: User, period_id: int, version: int | None = None, *, version_required: bool = False
) -> Period:
    """The period, locked, for the office that manages it, at `version` when one is given."""
    period = lock_versioned(
        period_list(visible_to=actor), period_id, version, version_required=version_required
    )
    if not rules.may_manage_period(actor, period):
        raise Forbidden(_("Only the office of the assessing region manages this assessment."))
    return period


def _draft(period: Period) -> None:
    if period.status != Period.Status.DRAFT:
        raise Invalid.field("status", _("A published assessment is not changed; reopen it first."))


@transaction.atomic
def period_create(
    *,
    actor: User,
    name: str,
    region: str,
    starts_on: date,
    ends_on: date,
    veto_grades: list[str] | None = None,
    default_indicators: bool = True,
    pass_mark=None,
) -> Period:
    if not rules.may_create_period(actor):
        raise Forbidden(_("Only an office sets up assessments."))
    errors: dict[str, list] = {}
    name = clean_text(name, "name", errors, required=True, max_length=TITLE_MAX)
    region_obj = region_get(region) if region else None
    if region_obj is None:
        errors["region"] = [_("Unknown region code.")]
    elif not sees_region(actor, region_obj.code):
        errors["region"] = [_("This region is outside your area.")]
    for field, value in (("starts_on", starts_on), ("ends_on", ends_on)):
        if value and not in_range(value):
            errors[field] = [out_of_range_message()]  # computing would overflow at year 9999
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The period ends before it starts.")]
    grades = DEFAULT_VETO_GRADES if veto_grades is None else list(dict.fromkeys(veto_grades))
    if any(g not in Grade.values for g in grades):
        errors["veto_grades"] = [_("Choose among: %(v)s.") % {"v": ", ".join(Grade.values)}]
    if pass_mark in (None, ""):
        pass_mark = settings.WORKSAFE_ASSESSMENT_PASS_MARK
    pass_mark = _decimal(pass_mark, "pass_mark", errors)
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    period = Period.objects.create(
        name=name,
        region=region_obj,
        starts_on=starts_on,
        ends_on=ends_on,
        veto_grades=grades,
        pass_mark=pass_mark,
        created_by=actor,
    )
    if default_indicators:
        Indicator.objects.bulk_create(
            Indicator(period=period, name=n, metric=m, rule=r, weight=Decimal(w), penalty=Decimal(p))
            for n, m, r, w, p in DEFAULT_INDICATORS
        )
    record_event(
        actor=actor,
        subject=period,
        action="create",
        data={"name": name, "region": region_obj.code, "veto_grades": grades, "pass_mark": str(pass_mark)},
    )
    return period


@transaction.atomic
def indicator_add(
    *, actor: User, period_id: int, name: str, metric: str, rule: str, weight, penalty=0
) -> Indicator:
    period = _managed(actor, period_id)
    _draft(period)
    errors: dict[str, list] = {}
    name = clean_text(name, "name", errors, required=True, max_length=TITLE_MAX)
    if metric not in Indicator.Metric.values:
        errors["metric"] = [_("Choose one of: %(v)s.") % {"v": ", ".join(Indicator.Metric.values)}]
    elif rule not in Indicator.RULES_FOR[metric]:
        errors["rule"] = [
            _("For this metric choose: %(v)s.") % {"v": ", ".join(sorted(Indicator.RULES_FOR[metric]))}
        ]
    weight = _decimal(weight, "weight", errors, minimum=CENT)
    penalty = _decimal(penalty or 0, "penalty", errors)
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    indicator = Indicator.objects.create(
        period=period, name=name, metric=metric, rule=rule, weight=weight, penalty=penalty
    )
    record_event(
        actor=actor,
        subject=period,
        action="indicator",
        data={"indicator": indicator.pk, "name": name, "metric": metric, "weight": str(weight)},
    )
    return indicator


@transaction.atomic
def indicator_update(*, actor: User, period_id: int, indicator_id: int, weight, penalty=None) -> Indicator:
    """Re-weigh an indicator of a draft period (its penalty or points per count too)."""
    period = _managed(actor, period_id)
    _draft(period)
    indicator = period.indicators.filter(pk=indicator_id).first()
    if indicator is None:
        raise NotFound()
    errors: dict[str, list] = {}
    weight = _decimal(weight, "weight", errors, minimum=CENT)
    penalty = indicator.penalty if penalty is None else _decimal(penalty, "penalty", errors)
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    before = {"weight": str(indicator.weight), "penalty": str(indicator.penalty)}
    indicator.weight, indicator.penalty = weight, penalty
    indicator.save(update_fields=["weight", "penalty"])
    record_event(
        actor=actor,
        subject=period,
        action="indicator_update",
        data={"indicator": indicator.pk, "before": before, "weight": str(weight), "penalty": str(penalty)},
    )
    return indicator


@transaction.atomic
def subject_add(
    *, actor: User, period_id: int, kind: str, region: str, organization: int | None = None
) -> Subject:
    period = _managed(actor, period_id)
    _draft(period)
    errors: dict[str, list] = {}
    region_obj: Region | None = region_get(region) if region else None
    if region_obj is None:
        errors["region"] = [_("Unknown region code.")]
    elif not period.region.contains(region_obj.code):
        errors["region"] = [_("The subject must lie inside the assessing region.")]
    org = None
    if kind not in Subject.Kind.values:
        errors["kind"] = [_("Choose one of: region, department.")]
    elif kind == Subject.Kind.DEPARTMENT:
        org = (
            organization_list(visible_to=actor)
            .filter(pk=organization, kind=Organization.Kind.DEPARTMENT)
            .first()
            if organization is not None
            else None
        )
        if org is None:
            errors["organization"] = [_("Choose a department you can see.")]
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    name = org.name if org else region_obj.name
    try:
        with transaction.atomic():
            subject = Subject.objects.create(
                period=period, kind=kind, region=region_obj, organization=org, name=name
            )
    except IntegrityError:
        raise Invalid.field("region", _("This subject is already assessed in the period.")) from None
    record_event(
        actor=actor,
        subject=period,
        action="subject",
        data={"subject": subject.pk, "kind": kind, "region": region_obj.code},
    )
    return subject


@transaction.atomic
def manual_score_set(
    *, actor: User, period_id: int, subject_id: int, indicator_id: int, score, evidence: str
) -> ManualScore:
    period = _managed(actor, period_id)
    _draft(period)
    errors: dict[str, list] = {}
    subject = period.subjects.filter(pk=subject_id).first()
    if subject is None:
        errors["subject"] = [_("Unknown subject.")]
    indicator = period.indicators.filter(pk=indicator_id, metric=Indicator.Metric.MANUAL).first()
    if indicator is None:
        errors["indicator"] = [_("Choose a manual indicator of this period.")]
    value = _decimal(score, "score", errors, maximum=indicator.weight if indicator else Decimal(1000))
    evidence = clean_text(evidence, "evidence", errors)
    if not evidence and "evidence" not in errors:
        errors["evidence"] = [_("A manual score needs its evidence.")]
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    manual, _created = ManualScore.objects.update_or_create(
        subject=subject,
        indicator=indicator,
        defaults={"score": value, "evidence": evidence, "entered_by": actor},
    )
    record_event(
        actor=actor,
        subject=period,
        action="manual_score",
        data={"subject": subject.pk, "indicator": indicator.pk, "score": str(value)},
    )
    return manual


def _q(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def indicator_score(indicator: Indicator, value, manual: Decimal | None) -> Decimal:
    """One indicator's points from its measured value (a rate 0-1 or a count)."""
    weight = indicator.weight
    if indicator.rule == Indicator.Rule.RATE_HIGHER_BETTER:
        return _q(weight * Decimal(str(value)))
    if indicator.rule == Indicator.Rule.RATE_LOWER_BETTER:
        return _q(weight * (1 - Decimal(str(value))))
    if indicator.rule == Indicator.Rule.COUNT_PENALTY:
        return _q(max(Decimal(0), weight - indicator.penalty * Decimal(value)))
    if indicator.rule == Indicator.Rule.COUNT_REWARD:
        return _q(min(weight, indicator.penalty * Decimal(value)))
    return _q(min(manual or Decimal(0), weight))


def _value(indicator: Indicator, figures):
    return {
        Indicator.Metric.HAZARD_CLOSURE_RATE: round(figures.closure_rate, 4),
        Indicator.Metric.HAZARD_OVERDUE_RATE: round(figures.overdue_rate, 4),
        Indicator.Metric.ACCIDENTS: figures.accidents,
        Indicator.Metric.DEATHS: figures.deaths,
        Indicator.Metric.INSPECTIONS: figures.inspections,
        Indicator.Metric.ENFORCEMENT: figures.enforcement,
    }.get(indicator.metric)


@transaction.atomic
def period_compute(*, actor: User, period_id: int, today: date | None = None) -> list[Result]:
    """Score every subject from system data and manual items; apply the one-vote veto; rank."""
    period = _managed(actor, period_id)
    _draft(period)
    indicators = list(period.indicators.all())
    subjects = list(period.subjects.select_related("organization", "region"))
    manual = {(m.subject_id, m.indicator_id): m for m in ManualScore.objects.filter(subject__period=period)}
    rows = []
    for subject in subjects:
        figures = subject_figures(subject, period=period, visible_to=actor, today=today)
        breakdown, total = [], Decimal(0)
        for indicator in indicators:
            entry = manual.get((subject.pk, indicator.pk))
            value = _value(indicator, figures)
            points = indicator_score(indicator, value, entry.score if entry else None)
            total += points
            breakdown.append(
                {
                    "indicator": indicator.pk,
                    "name": indicator.name,
                    "metric": indicator.metric,
                    "weight": str(indicator.weight),
                    "value": value,
                    "score": str(points),
                    "evidence": entry.evidence if entry else "",
                }
            )
        veto = figures.veto_accident
        reason = veto_reason(veto) if veto else ""
        no_data = figures.empty and not any(s == subject.pk for s, _i in manual)
        rows.append((subject, _q(total), breakdown, veto, reason, no_data))
    # Subjects with data by score, then vetoed ones, then those without data; equal scores
    # share a rank.
    rows.sort(key=lambda r: (r[5], r[3] is not None, -r[1], r[0].pk))
    Result.objects.filter(subject__period=period).delete()
    created, rank, previous = [], 0, None
    for position, (subject, total, breakdown, veto, reason, no_data) in enumerate(rows, start=1):
        key = (no_data, veto is not None, total)
        if key != previous:
            rank, previous = position, key
        created.append(
            Result(
                subject=subject,
                score=total,
                breakdown=breakdown,
                vetoed=veto is not None,
                veto_accident=veto,
                veto_reason=reason,
                no_data=no_data,
                passed=veto is None and not no_data and total >= period.pass_mark,
                rank=rank,
            )
        )
    Result.objects.bulk_create(created)
    period.computed_at = timezone.now()
    save_versioned(period, ["computed_at"])
    results = [
        {
            "subject": r.subject_id,
            "score": str(r.score),
            "vetoed": r.vetoed,
            "no_data": r.no_data,
            "passed": r.passed,
            "rank": r.rank,
        }
        for r in created
    ]
    record_event(actor=actor, subject=period, action="compute", data={"results": results})
    return created


@transaction.atomic
def period_transition(*, actor: User, period_id: int, action: str, version: int) -> Period:
    period = _managed(actor, period_id, version, version_required=True)
    Period.check_action(action)
    period.require(action, message=_("The assessment cannot be %(action)s now.") % {"action": action})
    if action == Period.Action.PUBLISH and period.computed_at is None:
        raise Invalid.field("action", _("Compute the results before publishing."))
    transition(period, action, record=record_event, actor=actor)
    return period
