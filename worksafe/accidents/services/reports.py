"""Accident reports: the record and its grade, the chain of reports up the government levels
with their deadlines, and the supplementary report when the figures change (domain.md §1.1,
§1.2)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from worksafe.audit.services import record_event
from worksafe.core.errors import (
    LONG_TEXT_MAX,
    NOTE_MAX,
    Forbidden,
    Invalid,
    NotFound,
    bounded_text,
    parse_money,
)
from worksafe.core.transitions import lock_versioned, save_versioned
from worksafe.orgs.models import Industry, Organization, Role, User
from worksafe.orgs.scope import may_place
from worksafe.orgs.selectors import enterprise_list
from worksafe.regions.models import Region
from worksafe.regions.selectors import region_get

from .. import rules
from ..models import (
    LEVEL_RANK,
    Accident,
    AccidentType,
    AuthorityLevel,
    GradeChange,
    Investigation,
    ReportDuty,
    Track,
)
from ..selectors import accident_get, accident_list
from .common import clean_count, clean_moment


def supplementary_hours() -> int:
    """Art. 13 asks for a supplementary report "in time" without a figure (see settings)."""
    return settings.WORKSAFE_SUPPLEMENTARY_REPORT_HOURS


def default_type(industry: str) -> str:
    if industry == Industry.ROAD_TRANSPORT:
        return AccidentType.ROAD_TRAFFIC
    if industry == Industry.FIRE_SAFETY:
        return AccidentType.FIRE
    return AccidentType.PRODUCTION


def _snapshot(accident: Accident) -> dict:
    return {
        "deaths": accident.deaths,
        "missing": accident.missing,
        "serious_injuries": accident.serious_injuries,
        "direct_economic_loss": str(accident.direct_economic_loss),
        "grade": accident.grade,
    }


def _add_chain_duties(accident: Accident, *, start: datetime) -> list[ReportDuty]:
    """Create the initial-report duties the grade requires and the accident lacks yet (§1.2)."""
    existing = {
        (d.from_level, d.to_level) for d in accident.report_duties.filter(kind=ReportDuty.Kind.INITIAL)
    }
    created = []
    for step, due in rules.chain_deadlines(accident.grade, accident.learned_at):
        if (step.from_level, step.to_level) in existing:
            continue
        # A level added by a later upgrade gets its full time from the moment it becomes owed.
        due = max(due, start + timedelta(hours=step.hours))
        created.append(
            ReportDuty.objects.create(
                accident=accident,
                kind=ReportDuty.Kind.INITIAL,
                from_level=step.from_level,
                to_level=step.to_level,
                due_at=due,
            )
        )
    return created


@transaction.atomic
def accident_create(
    *,
    actor: User,
    occurred_at: datetime,
    region: str,
    industry: str,
    deaths: int,
    serious_injuries: int,
    direct_economic_loss,
    missing: int = 0,
    enterprise: int | None = None,
    learned_at: datetime | None = None,
    accident_type: str | None = None,
    location: str = "",
    summary: str = "",
    now: datetime | None = None,
) -> Accident:
    now = now or timezone.now()
    if not rules.may_report(actor):
        raise Forbidden(_("Your role does not report accidents."))
    errors: dict[str, list] = {}
    occurred_at = clean_moment(occurred_at, "occurred_at", errors, now=now, required=True)
    learned_at = clean_moment(learned_at, "learned_at", errors, now=now)
    if occurred_at and learned_at and learned_at < occurred_at:
        errors.setdefault("learned_at", []).append(_("The unit cannot learn of it before it happened."))
    deaths = clean_count(deaths, "deaths", errors, required=True)
    missing = clean_count(missing if missing is not None else 0, "missing", errors)
    serious_injuries = clean_count(serious_injuries, "serious_injuries", errors, required=True)
    loss = parse_money(direct_economic_loss, "direct_economic_loss", errors, required=True)
    if industry not in Industry.values:
        errors.setdefault("industry", []).append(_("Choose one of the industry codes."))
    if accident_type is not None and accident_type not in AccidentType.values:
        errors.setdefault("accident_type", []).append(
            _("Choose one of: %(values)s.") % {"values": ", ".join(AccidentType.values)}
        )
    ent, region_obj = _placement(actor, enterprise, region, industry, errors)
    location = bounded_text(location, "location", max_length=200)
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    accident = Accident(
        occurred_at=occurred_at,
        learned_at=learned_at or occurred_at,
        region=region_obj,
        enterprise=ent,
        industry=industry,
        accident_type=accident_type or default_type(industry),
        location=location,
        summary=bounded_text(summary, "summary", max_length=LONG_TEXT_MAX),
        deaths=deaths,
        missing=missing or 0,
        serious_injuries=serious_injuries,
        direct_economic_loss=loss,
        reported_by=actor,
    )
    accident.grade = rules.grade_for(
        deaths=deaths, missing=accident.missing, serious_injuries=serious_injuries, direct_economic_loss=loss
    )
    accident.save()
    _record_grade(accident, actor=actor, at=now, from_grade="")
    _add_chain_duties(accident, start=accident.learned_at)
    investigation = Investigation.objects.create(
        accident=accident, lead_level=rules.INVESTIGATING_LEVEL[accident.grade]
    )
    Track.objects.bulk_create(Track(investigation=investigation, kind=kind) for kind in Track.Kind.values)
    record_event(
        actor=actor,
        subject=accident,
        action="create",
        to_status=accident.grade,
        data={
            **_snapshot(accident),
            "occurred_at": accident.occurred_at.isoformat(),
            "region": region_obj.code,
            "industry": industry,
            "enterprise": ent.pk if ent else None,
        },
    )
    return accident


def _placement(
    actor: User, enterprise: int | None, region: str, industry: str, errors: dict
) -> tuple[Organization | None, Region | None]:
    """The enterprise and region of a new accident. Whoever reports places the accident in their
    own area (an enterprise: its own region and industry): a record placed elsewhere would count
    in another area's grading and assessment."""
    ent = None
    if actor.role == Role.ENTERPRISE_OFFICER and enterprise is None:
        enterprise = actor.organization_id
    if enterprise is not None:
        ent = enterprise_list(visible_to=actor).filter(pk=enterprise).first()
        if ent is None:
            errors.setdefault("enterprise", []).append(_("Unknown enterprise."))
    region_obj = region_get(region) if region else None
    if region_obj is None:
        errors.setdefault("region", []).append(_("Unknown region code."))
    elif not may_place(actor, region=region_obj.code):
        errors.setdefault("region", []).append(_("This region is outside your area."))
    elif industry in Industry.values and not may_place(actor, region=region_obj.code, industry=industry):
        errors.setdefault("industry", []).append(
            _("Your department does not supervise this industry.")
            if actor.role == Role.INSPECTOR
            else _("This is not your enterprise's industry.")
        )
    return ent, region_obj


@transaction.atomic
def accident_update(
    *,
    actor: User,
    accident_id: int,
    version: int,
    deaths: int | None = None,
    missing: int | None = None,
    serious_injuries: int | None = None,
    direct_economic_loss=None,
    summary: str | None = None,
    location: str | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Accident:
    """Change the figures of an accident: regrades, keeps the history and, inside the statutory
    window, creates the supplementary report duty (domain.md §1.1, §1.2 item 5)."""
    now = now or timezone.now()
    accident = lock_versioned(accident_list(visible_to=actor), accident_id, version)
    if not rules.may_update_figures(actor, accident):
        raise Forbidden(rules.READ_ONLY_REASON)
    changes = _figure_changes(
        actor,
        accident,
        deaths=deaths,
        missing=missing,
        serious_injuries=serious_injuries,
        direct_economic_loss=direct_economic_loss,
    )
    fields = []
    before = _snapshot(accident)
    if summary is not None:
        accident.summary = bounded_text(summary, "summary", max_length=LONG_TEXT_MAX)
        fields.append("summary")
    if location is not None:
        accident.location = bounded_text(location, "location", max_length=200)
        fields.append("location")
    for name, value in changes.items():
        setattr(accident, name, value)
    fields += list(changes)
    old_grade = accident.grade
    if changes:
        accident.grade = rules.grade_for(
            deaths=accident.deaths,
            missing=accident.missing,
            serious_injuries=accident.serious_injuries,
            direct_economic_loss=accident.direct_economic_loss,
        )
        fields.append("grade")
    save_versioned(accident, fields)
    if not changes:
        record_event(
            actor=actor, subject=accident, action="update", note=note, data={"summary": summary is not None}
        )
        return accident
    _record_grade(
        accident,
        actor=actor,
        at=now,
        from_grade=old_grade,
        note=bounded_text(note, "note", max_length=NOTE_MAX),
    )
    after = _snapshot(accident)
    record_event(
        actor=actor, subject=accident, action="update", note=note, data={"before": before, "after": after}
    )
    if accident.grade != old_grade:
        _regrade(actor, accident, old_grade, now=now, note=note)
    if any(k in changes for k in ("deaths", "missing", "serious_injuries")):
        _owe_supplementary_report(actor, accident, now=now)
    return accident


def _figure_changes(actor: User, accident: Accident, **figures) -> dict:
    """The figures that change, checked; figures a government body recorded are lowered only
    by such a body."""
    errors: dict[str, list] = {}
    changes = {
        name: parse_money(value, name, errors)
        if name == "direct_economic_loss"
        else clean_count(value, name, errors)
        for name, value in figures.items()
    }
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    changes = {k: v for k, v in changes.items() if v is not None and v != getattr(accident, k)}
    recorded = accident.grade_changes.filter(actor__role__in=rules.SUPERVISORS).order_by("-id").first()
    lowered = rules.figures_lowered_below_record(actor, changes, recorded)
    if lowered:
        raise Forbidden(
            _(
                "A government body recorded these figures; only it may lower them: %(fields)s. "
                "Report the new facts to it."
            )
            % {"fields": ", ".join(str(Accident._meta.get_field(name).verbose_name) for name in lowered)}
        )
    return changes


def _record_grade(accident: Accident, *, actor: User, at: datetime, from_grade: str, note: str = "") -> None:
    """The grade history keeps the figures each grade was given on."""
    GradeChange.objects.create(
        accident=accident,
        at=at,
        from_grade=from_grade,
        to_grade=accident.grade,
        deaths=accident.deaths,
        missing=accident.missing,
        serious_injuries=accident.serious_injuries,
        direct_economic_loss=accident.direct_economic_loss,
        actor=actor,
        note=note,
    )


def _regrade(actor: User, accident: Accident, old_grade: str, *, now: datetime, note: str) -> None:
    """A new grade: recorded; an upgrade owes the reports of the new levels and, inside the
    window, moves the investigation to the higher government (§1.3)."""
    record_event(
        actor=actor,
        subject=accident,
        action="regrade",
        from_status=old_grade,
        to_status=accident.grade,
        note=note,
    )
    if not rules.grade_higher(accident.grade, old_grade):
        return
    _add_chain_duties(accident, start=now)
    investigation = accident.investigation
    required = rules.INVESTIGATING_LEVEL[accident.grade]
    if (
        investigation.status == Investigation.Status.OPEN
        and accident.in_supplementary_window(now)
        and LEVEL_RANK[required] > LEVEL_RANK[investigation.lead_level]
    ):
        record_event(
            actor=actor,
            subject=accident,
            action="investigation_level",
            from_status=investigation.lead_level,
            to_status=required,
        )
        investigation.lead_level = required
        save_versioned(investigation, ["lead_level"])


def _owe_supplementary_report(actor: User, accident: Accident, *, now: datetime) -> None:
    """Changed casualties inside the statutory window owe a supplementary report (§1.2 item 5)."""
    if not accident.in_supplementary_window(now):
        return
    duty = ReportDuty.objects.create(
        accident=accident,
        kind=ReportDuty.Kind.SUPPLEMENTARY,
        from_level=AuthorityLevel.UNIT,
        to_level=AuthorityLevel.COUNTY,
        due_at=now + timedelta(hours=supplementary_hours()),
    )
    record_event(
        actor=actor,
        subject=accident,
        action="supplementary_due",
        data={"duty": duty.pk, "due_at": duty.due_at.isoformat()},
    )


def _duty(actor: User, accident_id: int, duty_id: int) -> ReportDuty:
    accident = accident_get(visible_to=actor, pk=accident_id)
    duty = ReportDuty.objects.select_for_update().filter(pk=duty_id, accident=accident).first()
    if duty is None:
        raise NotFound()
    duty.accident = accident
    return duty


@transaction.atomic
def report_record(
    *,
    actor: User,
    accident_id: int,
    duty_id: int,
    reported_at: datetime | None = None,
    note: str = "",
    now: datetime | None = None,
) -> ReportDuty:
    """Record that a report of the chain was made; a late one is flagged 迟报 by its time (§1.2)."""
    now = now or timezone.now()
    duty = _duty(actor, accident_id, duty_id)
    if not rules.may_record_report(actor, duty):
        raise Forbidden(_("Only the government levels record reports above the unit."))
    if duty.reported_at is not None:
        raise Invalid.field("reported_at", _("This report is already recorded."))
    errors: dict[str, list] = {}
    reported_at = clean_moment(reported_at, "reported_at", errors, now=now) or now
    if reported_at < duty.accident.occurred_at:
        errors.setdefault("reported_at", []).append(_("A report cannot precede the accident."))
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    duty.reported_at = reported_at
    duty.reported_by = actor
    duty.note = bounded_text(note, "note", max_length=NOTE_MAX)
    duty.save(update_fields=["reported_at", "reported_by", "note"])
    if duty.kind == ReportDuty.Kind.INITIAL:
        # §1.2 item 3: the next level has 2 hours from receiving the report, however early or late.
        nxt = duty.accident.report_duties.filter(
            kind=ReportDuty.Kind.INITIAL, from_level=duty.to_level, reported_at__isnull=True
        ).first()
        if nxt is not None:
            nxt.due_at = reported_at + timedelta(hours=rules.LEVEL_HOURS)
            nxt.save(update_fields=["due_at"])
    status = duty.status_at(now)
    record_event(
        actor=actor,
        subject=duty.accident,
        action="report",
        to_status=status,
        note=duty.note,
        data={
            "duty": duty.pk,
            "kind": duty.kind,
            "from": duty.from_level,
            "to": duty.to_level,
            "due_at": duty.due_at.isoformat(),
            "reported_at": reported_at.isoformat(),
        },
    )
    return duty


@transaction.atomic
def report_flag(*, actor: User, accident_id: int, duty_id: int, irregularity: str, note: str) -> ReportDuty:
    """Record concealment (瞒报) or a false report (谎报) found on a duty (§1.2)."""
    duty = _duty(actor, accident_id, duty_id)
    if not rules.may_flag_irregularity(actor):
        raise Forbidden(_("Only a supervising authority records concealment or false reporting."))
    errors: dict[str, list] = {}
    if irregularity not in ReportDuty.Irregularity.values:
        errors["irregularity"] = [_("Choose one of: concealed, false, or empty to clear.")]
    if not (note or "").strip():
        errors["note"] = [_("Give the facts found.")]
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    before = duty.irregularity
    duty.irregularity = irregularity
    duty.irregularity_note = bounded_text(note, "note", max_length=NOTE_MAX)
    duty.save(update_fields=["irregularity", "irregularity_note"])
    record_event(
        actor=actor,
        subject=duty.accident,
        action="report_flag",
        from_status=before,
        to_status=irregularity,
        note=duty.irregularity_note,
        data={"duty": duty.pk},
    )
    return duty
