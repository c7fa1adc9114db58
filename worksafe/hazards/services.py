"""Writes to the register. Each runs in one transaction and records its event in it."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from worksafe.audit.models import SubjectType
from worksafe.audit.services import NewEvent, record_event, record_events
from worksafe.core.errors import NOTE_MAX, DomainError, Forbidden, Invalid, NotFound, clean_text, parse_money
from worksafe.core.transitions import lock_versioned, save_versioned, transition
from worksafe.core.uploads import CheckedUpload, check_upload
from worksafe.orgs.models import Role, User
from worksafe.orgs.selectors import enterprise_list, expert_list

from . import rules
from .models import Evidence, Hazard, HazardCounter
from .selectors import hazard_list


def _next_number(region_id: str, year: int) -> str:
    """REGION-YEAR-SEQUENCE, unique per region and year. The counter row's lock orders
    concurrent creators; the first of a year creates the row inside a savepoint."""
    for _attempt in range(3):
        updated = HazardCounter.objects.filter(region_id=region_id, year=year).update(last=F("last") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    HazardCounter.objects.create(region_id=region_id, year=year, last=1)
            except IntegrityError:
                continue  # another creator made the row first: take the update path
        last = HazardCounter.objects.get(region_id=region_id, year=year).last
        return f"YH{region_id}-{year}-{last:06d}"
    raise RuntimeError("could not allocate a hazard number")


def _choice(value, field: str, choices, errors: dict) -> str:
    if value not in choices.values:
        errors.setdefault(field, []).append(
            _("Choose one of: %(values)s.") % {"values": ", ".join(choices.values)}
        )
    return value


@transaction.atomic
def hazard_create(
    *,
    actor: User,
    enterprise: int,
    title: str,
    level: str,
    source: str,
    due_date: date,
    description: str = "",
    location: str = "",
    responsible_person: str = "",
    today: date | None = None,
) -> Hazard:
    today = today or timezone.localdate()
    if not rules.may_report(actor):
        raise Forbidden(_("Your role does not register hidden dangers."))
    errors: dict[str, list] = {}
    ent = enterprise_list(visible_to=actor).filter(pk=enterprise).first() if enterprise else None
    if ent is None:
        errors["enterprise"] = [_("Unknown enterprise.")]
    title = clean_text(title, "title", errors, required=True, max_length=200)
    description = clean_text(description, "description", errors)
    location = clean_text(location, "location", errors, max_length=200)
    responsible_person = clean_text(responsible_person, "responsible_person", errors, max_length=100)
    _choice(level, "level", Hazard.Level, errors)
    _choice(source, "source", Hazard.Source, errors)
    if actor.role == Role.ENTERPRISE_OFFICER and source != Hazard.Source.SELF_CHECK:
        errors.setdefault("source", []).append(
            _("An enterprise reports the hidden dangers it finds itself (self_check).")
        )
    if due_date is None:
        errors["due_date"] = [_("This field is required.")]
    elif due_date < today:
        errors["due_date"] = [_("The due date cannot be in the past.")]
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    hazard = Hazard.objects.create(
        number=_next_number(ent.region_id, today.year),
        enterprise=ent,
        region_id=ent.region_id,
        industry=ent.industry,
        title=title,
        description=description,
        location=location,
        level=level,
        source=source,
        due_date=due_date,
        responsible_person=responsible_person,
        reported_by=actor,
    )
    record_event(
        actor=actor,
        subject=hazard,
        action="create",
        to_status=hazard.status,
        data={
            "number": hazard.number,
            "level": level,
            "source": source,
            "due_date": due_date.isoformat(),
            "title": title,
        },
    )
    return hazard


@transaction.atomic
def hazard_report(*, actor: User, photo=None, **fields) -> Hazard:
    """hazard_create (with its `fields`) and the before-photo as one unit: a rejected photo
    registers nothing."""
    hazard = hazard_create(actor=actor, **fields)
    if photo is not None:
        hazard_add_evidence(actor=actor, hazard_id=hazard.pk, upload=photo, kind=Evidence.Kind.BEFORE)
    return hazard


# A plan field not sent keeps its value; None or blank clears it (the page sends every field).
UNSET: Any = object()


@transaction.atomic
def hazard_plan(
    *,
    actor: User,
    hazard_id: int,
    version: int,
    measures: str | None = UNSET,
    responsible_person: str | None = UNSET,
    funds=UNSET,
    deadline: date | None = UNSET,
    contingency_plan: str | None = UNSET,
    today: date | None = None,
) -> Hazard:
    """Fill the five implementations (措施、责任、资金、时限、预案, domain.md §2.2); fields left
    out keep their value, so a plan can be completed in steps. A new deadline lies between today
    and the hazard's due date: a plan that ends after the hazard is due plans to be late."""
    today = today or timezone.localdate()
    hazard = lock_versioned(hazard_list(visible_to=actor), hazard_id, version)
    if not rules.may_edit_plan(actor, hazard):
        raise Forbidden(_("You may not change the plan of this hidden danger now."))
    errors: dict[str, list] = {}
    changes = {}
    if measures is not UNSET:
        changes["plan_measures"] = clean_text(measures, "measures", errors)
    if responsible_person is not UNSET:
        changes["plan_responsible_person"] = clean_text(
            responsible_person, "responsible_person", errors, max_length=100
        )
    if funds is not UNSET:
        changes["plan_funds"] = parse_money(funds, "funds", errors)
    if deadline is not UNSET:
        if deadline is not None and deadline != hazard.plan_deadline:
            if deadline < today:
                errors["deadline"] = [_("The deadline cannot be in the past.")]
            elif deadline > hazard.due_date:
                errors["deadline"] = [
                    _("The deadline cannot be after the hidden danger's due date, %(due)s.")
                    % {"due": hazard.due_date.isoformat()}
                ]
        changes["plan_deadline"] = deadline
    if contingency_plan is not UNSET:
        changes["plan_contingency"] = clean_text(contingency_plan, "contingency_plan", errors)
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    before = {name: _jsonable(getattr(hazard, name)) for name in changes}
    for name, value in changes.items():
        setattr(hazard, name, value)
    save_versioned(hazard, changes)
    record_event(
        actor=actor,
        subject=hazard,
        action="plan",
        from_status=hazard.status,
        to_status=hazard.status,
        data={"before": before, "after": {name: _jsonable(v) for name, v in changes.items()}},
    )
    return hazard


def _jsonable(value):
    if isinstance(value, (date, Decimal)):
        return str(value)
    return value


@transaction.atomic
def hazard_transition(
    *,
    actor: User,
    hazard_id: int,
    action: str,
    version: int,
    note: str = "",
    due_date: date | None = None,
    responsible_person: str | None = None,
    expert: int | None = None,
    today: date | None = None,
) -> Hazard:
    today = today or timezone.localdate()
    Hazard.check_action(action)
    hazard = lock_versioned(hazard_list(visible_to=actor), hazard_id, version)
    reason = rules.why_not(actor, hazard, action)
    if reason:
        raise Forbidden(reason)
    target = hazard.require(
        action,
        message=_("A hidden danger in status “%(status)s” cannot be %(action)s.")
        % {"status": hazard.get_status_display(), "action": action},
    )
    errors: dict[str, list] = {}
    note = clean_text(note, "note", errors, max_length=NOTE_MAX)
    data: dict = {}
    fields = []
    if action == Hazard.Action.ASSIGN:
        if hazard.level == Hazard.Level.MAJOR and not hazard.plan_complete:
            errors["plan"] = [
                _(
                    "A major hidden danger is assigned only once its plan holds all five "
                    "implementations; missing: %(fields)s."
                )
                % {"fields": ", ".join(f.removeprefix("plan_") for f in hazard.missing_plan_fields)}
            ]
        if due_date is not None:
            if due_date < today:
                errors["due_date"] = [_("The due date cannot be in the past.")]
            hazard.due_date = due_date
            data["due_date"] = due_date.isoformat()
            fields.append("due_date")
        person = clean_text(responsible_person, "responsible_person", errors, max_length=100)
        if person:
            hazard.responsible_person = person
            data["responsible_person"] = hazard.responsible_person
            fields.append("responsible_person")
        if not hazard.responsible_person:
            errors["responsible_person"] = [_("Name the person responsible for the rectification.")]
        if expert is not None:
            chosen = expert_list(visible_to=actor).filter(pk=expert).first()
            if chosen is None:
                errors["expert"] = [_("Unknown expert.")]
            hazard.expert = chosen
            data["expert"] = expert
            fields.append("expert")
    if action in (Hazard.Action.REJECT, Hazard.Action.CANCEL) and not note:
        errors["note"] = [_("Give the reason.")]
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    if action == Hazard.Action.REJECT:
        hazard.rejection_count += 1
        fields.append("rejection_count")
    if target == Hazard.Status.CLOSED:
        hazard.closed_at = timezone.now()
        fields.append("closed_at")
    transition(hazard, action, record=record_event, fields=fields, actor=actor, note=note, data=data)
    return hazard


@dataclass(frozen=True)
class BulkOutcome:
    """One hazard's result in a batch: `status` is the HTTP-like answer (200, 403, 404, 409, 422)."""

    hazard_id: int
    status: int
    hazard: Hazard | None = None
    detail: str = ""


BULK_LIMIT = 200


def hazard_transition_many(
    *,
    actor: User,
    items: list[tuple[int, int]],
    action: str,
    note: str = "",
    due_date: date | None = None,
    responsible_person: str | None = None,
    today: date | None = None,
) -> list[BulkOutcome]:
    """The same transition on each (hazard id, version), each in its own transaction through
    hazard_transition, so every rule holds per hazard: one refusal stops nothing else, and
    every refusal is reported with its reason, never skipped in silence."""
    if not items:
        raise Invalid.field("ids", _("Select at least one hidden danger."))
    if len(items) > BULK_LIMIT:
        raise Invalid.field("ids", _("Select at most %(n)s hidden dangers at once.") % {"n": BULK_LIMIT})
    outcomes = []
    for hazard_id, version in items:
        try:
            hazard = hazard_transition(
                actor=actor,
                hazard_id=hazard_id,
                action=action,
                version=version,
                note=note,
                due_date=due_date,
                responsible_person=responsible_person,
                today=today,
            )
        except DomainError as exc:
            messages = [str(m) for errors in exc.errors.values() for m in errors]
            outcomes.append(BulkOutcome(hazard_id, exc.status, None, "; ".join(messages) or str(exc.detail)))
        else:
            outcomes.append(BulkOutcome(hazard_id, 200, hazard))
    return outcomes


@transaction.atomic
def hazard_add_evidence(*, actor: User, hazard_id: int, upload, kind: str) -> Evidence:
    hazard = hazard_list(visible_to=actor).filter(pk=hazard_id).first()
    if hazard is None:
        raise NotFound()
    if kind not in Evidence.Kind.values:
        raise Invalid.field("kind", _("Choose one of: before, after."))
    if not rules.may_add_evidence(actor, hazard):
        raise Forbidden(_("You may not add evidence to this hidden danger."))
    checked = check_upload(
        upload,
        allowed=settings.WORKSAFE_EVIDENCE_TYPES,
        wrong_type=_("Upload a photo (JPEG, PNG, WebP) or a PDF; the content says otherwise."),
    )
    original = (getattr(upload, "name", "") or "").replace("\x00", "")[-200:]
    return _store_evidence(actor, hazard, checked, kind, original)


@transaction.atomic
def hazard_add_found_evidence(
    *, actor: User, hazard: Hazard, content: bytes, mime: str, origin: dict
) -> Evidence:
    """A photo taken where the hidden danger was found (an inspection's checklist item or
    finding) becomes its "before" evidence: the same content and hash, in a file of its own,
    with where it came from in the audit event."""
    checked = CheckedUpload(content, mime)
    return _store_evidence(actor, hazard, checked, Evidence.Kind.BEFORE, "", origin)


def _store_evidence(
    actor: User, hazard: Hazard, checked: CheckedUpload, kind: str, original: str, origin=None
):
    evidence = Evidence(
        hazard=hazard,
        kind=kind,
        original_name=original,
        content_type=checked.mime,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    evidence.file.save(*checked.as_file(), save=False)
    evidence.save()
    data = {"evidence": evidence.pk, "kind": kind, "sha256": evidence.sha256, "name": original}
    if origin:
        data["from"] = origin
    record_event(
        actor=actor,
        subject=hazard,
        action="evidence",
        from_status=hazard.status,
        to_status=hazard.status,
        data=data,
    )
    return evidence


def escalation_sweep(*, today: date | None = None, batch: int = 5000) -> int:
    """Advance every overdue hazard one step up the ladder, at most once a day; returns how
    many moved. Safe to run any number of times: the second run in a day changes nothing.

    Set-based: each batch is one UPDATE … RETURNING that claims, steps and reports its rows,
    then one bulk append of their chained events in the same transaction. Batches (rather
    than one statement for everything) keep row locks and the chain-head lock short, so users
    working on hazards are never held up for long; SKIP LOCKED leaves a hazard being edited
    right now to the next run."""
    today = today or timezone.localdate()
    ladder = settings.WORKSAFE_ESCALATION_LADDER
    moved = 0
    for step, (code, min_days, _label) in enumerate(ladder, start=1):
        threshold = date.fromordinal(today.toordinal() - min_days)
        while True:
            with transaction.atomic():
                rows = _step_overdue(step=step, threshold=threshold, today=today, limit=batch)
                if not rows:
                    break
                record_events(
                    NewEvent(
                        subject_type=SubjectType.HAZARD,
                        subject_id=pk,
                        action=code,
                        from_status=status,
                        to_status=status,
                        data={"step": code, "days_overdue": (today - due).days},
                    )
                    for pk, status, due in rows
                )
                moved += len(rows)
    return moved


def _step_overdue(*, step: int, threshold: date, today: date, limit: int) -> list[tuple[int, str, date]]:
    """Move up to `limit` hazards from step-1 to `step`; (id, status, due date) of those moved,
    by id. The outer conditions repeat the inner ones: a row changed between the two (closed,
    stepped) is left alone."""
    table = connection.ops.quote_name(Hazard._meta.db_table)
    opened = list(map(str, Hazard.OPEN_STATUSES))
    marks = ", ".join(["%s"] * len(opened))
    lock = " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    sql = (
        f"UPDATE {table} SET escalation_step = %s, escalated_on = %s "  # noqa: S608 (names from _meta)
        f"WHERE escalation_step = %s AND status IN ({marks}) AND id IN ("
        f"SELECT id FROM {table} WHERE status IN ({marks}) AND due_date <= %s AND escalation_step = %s "
        f"AND (escalated_on IS NULL OR escalated_on <> %s) ORDER BY id LIMIT %s{lock}) "
        "RETURNING id, status, due_date"
    )
    day, limit_day = (
        connection.ops.adapt_datefield_value(today),
        connection.ops.adapt_datefield_value(threshold),
    )
    params = [step, day, step - 1, *opened, *opened, limit_day, step - 1, day, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # SQLite hands dates back as text.
    return sorted(
        (pk, status, due if isinstance(due, date) else date.fromisoformat(due)) for pk, status, due in rows
    )
