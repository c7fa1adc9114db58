"""Writes about accidents. Each runs in one transaction and records its event in it."""

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
from worksafe.orgs.models import Industry, Role
from worksafe.orgs.scope import may_place
from worksafe.orgs.selectors import enterprise_list, organization_list
from worksafe.regions.selectors import region_get

from . import rules
from .models import (
    LEVEL_RANK,
    Accident,
    AccidentType,
    AuthorityLevel,
    Decision,
    GradeChange,
    Investigation,
    ReportDuty,
    Track,
)
from .selectors import accident_get, accident_list


def supplementary_hours() -> int:
    """Art. 13 asks for a supplementary report "in time" without a figure (see settings)."""
    return settings.WORKSAFE_SUPPLEMENTARY_REPORT_HOURS


MAX_COUNT = 100_000


def _count(value, field: str, errors: dict, *, required: bool = False) -> int | None:
    if value is None or value == "":
        if required:
            errors.setdefault(field, []).append(_("This field is required."))
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > MAX_COUNT:
        errors.setdefault(field, []).append(_("Enter a whole number, zero or more."))
        return None
    return value


def _moment(value, field: str, errors: dict, *, now: datetime, required: bool = False) -> datetime | None:
    if value is None:
        if required:
            errors.setdefault(field, []).append(_("This field is required."))
        return None
    if not 1950 <= value.year <= 2200:
        # Checked first: far dates with an offset overflow when converted to UTC.
        errors.setdefault(field, []).append(_("Enter a real date and time."))
        return None
    if timezone.is_naive(value):
        # A time without offset is read as local time (Asia/Shanghai), as people write it.
        value = timezone.make_aware(value)
    if value > now + timedelta(minutes=5):
        errors.setdefault(field, []).append(_("This time is in the future."))
        return None
    return value


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
    actor,
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
    occurred_at = _moment(occurred_at, "occurred_at", errors, now=now, required=True)
    learned_at = _moment(learned_at, "learned_at", errors, now=now)
    if occurred_at and learned_at and learned_at < occurred_at:
        errors.setdefault("learned_at", []).append(_("The unit cannot learn of it before it happened."))
    deaths = _count(deaths, "deaths", errors, required=True)
    missing = _count(missing if missing is not None else 0, "missing", errors)
    serious_injuries = _count(serious_injuries, "serious_injuries", errors, required=True)
    loss = parse_money(direct_economic_loss, "direct_economic_loss", errors, required=True)
    if industry not in Industry.values:
        errors.setdefault("industry", []).append(_("Choose one of the industry codes."))
    if accident_type is not None and accident_type not in AccidentType.values:
        errors.setdefault("accident_type", []).append(
            _("Choose one of: %(values)s.") % {"values": ", ".join(AccidentType.values)}
        )
    ent = None
    if actor.role == Role.ENTERPRISE_OFFICER and enterprise is None:
        enterprise = actor.organization_id
    if enterprise is not None:
        ent = enterprise_list(visible_to=actor).filter(pk=enterprise).first()
        if ent is None:
            errors.setdefault("enterprise", []).append(_("Unknown enterprise."))
    # Whoever reports places the accident in their own area (an enterprise: its own region and
    # industry): a record placed elsewhere would count in another area's grading and assessment.
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
    GradeChange.objects.create(
        accident=accident,
        at=now,
        from_grade="",
        to_grade=accident.grade,
        deaths=deaths,
        missing=accident.missing,
        serious_injuries=serious_injuries,
        direct_economic_loss=loss,
        actor=actor,
    )
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


def _visible(actor, accident_id: int) -> Accident:
    accident = accident_list(visible_to=actor).filter(pk=accident_id).first()
    if accident is None:
        raise NotFound()
    return accident


@transaction.atomic
def accident_update(
    *,
    actor,
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
    errors: dict[str, list] = {}
    changes = {
        "deaths": _count(deaths, "deaths", errors),
        "missing": _count(missing, "missing", errors),
        "serious_injuries": _count(serious_injuries, "serious_injuries", errors),
        "direct_economic_loss": parse_money(direct_economic_loss, "direct_economic_loss", errors),
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
    GradeChange.objects.create(
        accident=accident,
        at=now,
        from_grade=old_grade,
        to_grade=accident.grade,
        deaths=accident.deaths,
        missing=accident.missing,
        serious_injuries=accident.serious_injuries,
        direct_economic_loss=accident.direct_economic_loss,
        actor=actor,
        note=bounded_text(note, "note", max_length=NOTE_MAX),
    )
    after = _snapshot(accident)
    record_event(
        actor=actor, subject=accident, action="update", note=note, data={"before": before, "after": after}
    )
    if accident.grade != old_grade:
        record_event(
            actor=actor,
            subject=accident,
            action="regrade",
            from_status=old_grade,
            to_status=accident.grade,
            note=note,
        )
        if rules.grade_higher(accident.grade, old_grade):
            _add_chain_duties(accident, start=now)
            investigation = accident.investigation
            required = rules.INVESTIGATING_LEVEL[accident.grade]
            # §1.3: an upgrade inside the window moves the case to the higher government.
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
    casualties_changed = any(k in changes for k in ("deaths", "missing", "serious_injuries"))
    if casualties_changed and accident.in_supplementary_window(now):
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
    return accident


def _duty(actor, accident_id: int, duty_id: int) -> ReportDuty:
    accident = accident_get(visible_to=actor, pk=accident_id)
    duty = ReportDuty.objects.select_for_update().filter(pk=duty_id, accident=accident).first()
    if duty is None:
        raise NotFound()
    duty.accident = accident
    return duty


@transaction.atomic
def report_record(
    *,
    actor,
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
    reported_at = _moment(reported_at, "reported_at", errors, now=now) or now
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
def report_flag(*, actor, accident_id: int, duty_id: int, irregularity: str, note: str) -> ReportDuty:
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


def _investigation(actor, accident_id: int, version) -> Investigation:
    accident = accident_get(visible_to=actor, pk=accident_id)
    if not rules.may_investigate(actor):
        raise Forbidden(_("Only the investigating authorities change the investigation."))
    investigation = lock_versioned(Investigation.objects.filter(accident=accident), None, version)
    investigation.accident = accident
    return investigation


def _clean_team(team, errors: dict) -> list[dict]:
    cleaned = []
    for member in team or []:
        if not isinstance(member, dict):
            errors.setdefault("team", []).append(_("Each member has a name, a unit and a role."))
            break
        name = bounded_text(str(member.get("name") or ""), "team", max_length=100)
        if not name:
            errors.setdefault("team", []).append(_("Each member needs a name."))
            break
        cleaned.append(
            {
                "name": name,
                "unit": bounded_text(str(member.get("unit") or ""), "team", max_length=200),
                "role": bounded_text(str(member.get("role") or ""), "team", max_length=100),
            }
        )
    return cleaned


def _open_required(investigation: Investigation) -> None:
    if investigation.status != Investigation.Status.OPEN:
        raise Invalid.field("status", _("The investigation is concluded."))


@transaction.atomic
def investigation_update(
    *,
    actor,
    accident_id: int,
    version: int,
    lead_authority: str | None = None,
    team: list | None = None,
    direct_causes: str | None = None,
    indirect_causes: str | None = None,
) -> Investigation:
    investigation = _investigation(actor, accident_id, version)
    _open_required(investigation)
    errors: dict[str, list] = {}
    changes: dict = {}
    if lead_authority is not None:
        changes["lead_authority"] = bounded_text(lead_authority, "lead_authority", max_length=200)
    if team is not None:
        changes["team"] = _clean_team(team, errors)
    if direct_causes is not None:
        changes["direct_causes"] = bounded_text(direct_causes, "direct_causes", max_length=LONG_TEXT_MAX)
    if indirect_causes is not None:
        changes["indirect_causes"] = bounded_text(
            indirect_causes, "indirect_causes", max_length=LONG_TEXT_MAX
        )
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    before = {k: getattr(investigation, k) for k in changes}
    for name, value in changes.items():
        setattr(investigation, name, value)
    save_versioned(investigation, changes)
    record_event(
        actor=actor,
        subject=investigation.accident,
        action="investigation_update",
        data={"before": before, "after": changes},
    )
    return investigation


@transaction.atomic
def investigation_extend(
    *, actor, accident_id: int, version: int, days: int, approved_by: str, reason: str
) -> Investigation:
    """Extend the 60-day deadline with the investigating government's approval; extensions add
    up to at most 60 days (domain.md §1.3)."""
    investigation = _investigation(actor, accident_id, version)
    _open_required(investigation)
    errors: dict[str, list] = {}
    room = Investigation.MAX_EXTENSION_DAYS - investigation.extension_days
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        errors["days"] = [_("Enter a number of days, one or more.")]
    elif days > room:
        errors["days"] = [
            _("The deadline may be extended by at most 60 days in all; %(n)s days remain.") % {"n": room}
        ]
    if not (approved_by or "").strip():
        errors["approved_by"] = [_("Name the government that approved the extension.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason.")]
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    old_due = investigation.due_on
    investigation.extension_days += days
    investigation.extension_approved_by = bounded_text(approved_by, "approved_by", max_length=200)
    investigation.extension_reason = bounded_text(reason, "reason", max_length=NOTE_MAX)
    save_versioned(investigation, ["extension_days", "extension_approved_by", "extension_reason"])
    record_event(
        actor=actor,
        subject=investigation.accident,
        action="investigation_extend",
        note=investigation.extension_reason,
        data={"days": days, "from": old_due.isoformat(), "to": investigation.due_on.isoformat()},
    )
    return investigation


@transaction.atomic
def track_update(
    *, actor, accident_id: int, kind: str, findings: str | None = None, close: bool | None = None
) -> Track:
    accident = accident_get(visible_to=actor, pk=accident_id)
    if not rules.may_investigate(actor):
        raise Forbidden(_("Only the investigating authorities change the investigation."))
    track = (
        Track.objects.select_for_update()
        .select_related("investigation")
        .filter(investigation__accident=accident, kind=kind)
        .first()
    )
    if track is None:
        raise NotFound()
    _open_required(track.investigation)
    before = track.status
    if findings is not None:
        track.findings = bounded_text(findings, "findings", max_length=LONG_TEXT_MAX)
    if close is True:
        if not track.findings:
            raise Invalid.field("findings", _("A track is closed with its findings."))
        track.status = Track.Status.CLOSED
        track.closed_at = timezone.now()
    elif close is False:
        track.status = Track.Status.OPEN
        track.closed_at = None
    track.save(update_fields=["findings", "status", "closed_at"])
    record_event(
        actor=actor,
        subject=accident,
        action="track",
        from_status=before,
        to_status=track.status,
        data={"track": kind, "findings": track.findings},
    )
    return track


@transaction.atomic
def investigation_conclude(*, actor, accident_id: int, version: int, conclusion: str) -> Investigation:
    """Close the case: all three tracks of 一案三查 closed, causes and conclusion on record (§1.3, §6)."""
    investigation = _investigation(actor, accident_id, version)
    _open_required(investigation)
    errors: dict[str, list] = {}
    for track in investigation.tracks.all():
        if track.status != Track.Status.CLOSED:
            errors[f"tracks.{track.kind}"] = [
                _("The track “%(track)s” is still open.") % {"track": track.get_kind_display()}
            ]
    if not investigation.direct_causes:
        errors["direct_causes"] = [_("Record the direct causes before concluding.")]
    if not (conclusion or "").strip():
        errors["conclusion"] = [_("This field is required.")]
    if errors:
        raise Invalid(_("The case cannot be concluded yet."), errors)
    investigation.conclusion = bounded_text(conclusion, "conclusion", max_length=LONG_TEXT_MAX)
    investigation.status = Investigation.Status.CONCLUDED
    investigation.concluded_at = timezone.now()
    save_versioned(investigation, ["conclusion", "status", "concluded_at"])
    record_event(
        actor=actor,
        subject=investigation.accident,
        action="conclude",
        from_status=Investigation.Status.OPEN,
        to_status=Investigation.Status.CONCLUDED,
        note=investigation.conclusion,
    )
    return investigation


def proposal(accident: Accident, *, subject: str, previous_year_income=None, aggravated: bool = False):
    return rules.fine_range(
        grade=accident.grade,
        accident_date=accident.occurred_on,
        subject=subject,
        previous_year_income=previous_year_income,
        aggravated=aggravated,
    )


@transaction.atomic
def decision_create(
    *,
    actor,
    accident_id: int,
    subject: str,
    kind: str,
    basis: str,
    amount=None,
    organization: int | None = None,
    person_name: str = "",
    previous_year_income=None,
    aggravated: bool = False,
    outside_range_reason: str = "",
) -> Decision:
    """Record an accountability decision; a fine for the enterprise or its principal person is
    compared with the Work Safety Law range in force on the accident's date (domain.md §5)."""
    accident = accident_get(visible_to=actor, pk=accident_id)
    if not rules.may_decide(actor):
        raise Forbidden(_("Only a supervising authority records accountability decisions."))
    errors: dict[str, list] = {}
    if subject not in Decision.Subject.values:
        errors["subject"] = [_("Choose one of: %(v)s.") % {"v": ", ".join(Decision.Subject.values)}]
    if kind not in Decision.Kind.values:
        errors["kind"] = [_("Choose one of: %(v)s.") % {"v": ", ".join(Decision.Kind.values)}]
    basis = bounded_text(basis, "basis", max_length=NOTE_MAX)
    if not basis:
        errors["basis"] = [_("This field is required.")]
    money = parse_money(amount, "amount", errors)
    income = parse_money(previous_year_income, "previous_year_income", errors)
    if kind == Decision.Kind.ADMINISTRATIVE_FINE and money is None and "amount" not in errors:
        errors["amount"] = [_("A fine needs its amount.")]
    org = None
    if subject == Decision.Subject.ENTERPRISE:
        org = accident.enterprise
        if org is None:
            errors["subject"] = [_("This accident has no enterprise on record.")]
    elif organization is not None:
        org = organization_list(visible_to=actor).filter(pk=organization).first()
        if org is None:
            errors["organization"] = [_("Unknown organization.")]
    elif subject == Decision.Subject.ORGANIZATION:
        errors["organization"] = [_("This field is required.")]
    person_name = bounded_text(person_name, "person_name", max_length=100)
    if subject in (Decision.Subject.PERSON, Decision.Subject.PRINCIPAL_PERSON) and not person_name:
        errors["person_name"] = [_("This field is required.")]
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    found = None
    if kind == Decision.Kind.ADMINISTRATIVE_FINE:
        found = proposal(accident, subject=subject, previous_year_income=income, aggravated=aggravated)
    outside = bool(found and not (found.minimum <= money <= found.maximum))
    reason = bounded_text(outside_range_reason, "outside_range_reason", max_length=NOTE_MAX)
    if outside and not reason:
        raise Invalid.field(
            "outside_range_reason",
            _("The amount is outside the range %(min)s–%(max)s yuan (%(basis)s); give the reason.")
            % {"min": found.minimum, "max": found.maximum, "basis": found.basis},
        )
    decision = Decision.objects.create(
        accident=accident,
        subject=subject,
        organization=org,
        person_name=person_name,
        kind=kind,
        basis=basis,
        amount=money,
        previous_year_income=income,
        law_version=found.law_version if found else "",
        range_min=found.minimum if found else None,
        range_max=found.maximum if found else None,
        aggravated=bool(aggravated),
        outside_range=outside,
        outside_range_reason=reason if outside else "",
        decided_by=actor,
    )
    record_event(
        actor=actor,
        subject=accident,
        action="decision",
        note=basis,
        data={
            "decision": decision.pk,
            "kind": kind,
            "subject": subject,
            "amount": str(money) if money is not None else None,
            "law_version": decision.law_version,
            "outside_range": outside,
        },
    )
    return decision
