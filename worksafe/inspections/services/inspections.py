"""Inspections: planned, started on site, answered item by item with findings and photos, and
finished, which registers what was found through hazards.services (or issues opinions)."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from worksafe.audit.services import record_event
from worksafe.core.errors import Forbidden, Invalid, bounded_text, clean_text
from worksafe.core.transitions import lock_versioned, transition
from worksafe.core.uploads import check_upload
from worksafe.hazards.services import hazard_add_found_evidence, hazard_create
from worksafe.orgs.models import Organization, Role, User
from worksafe.orgs.selectors import user_list

from .. import rules
from ..models import Answer, ChecklistItem, Finding, Inspection, InspectionPlan, Photo, ResumptionCase
from ..selectors import checklist_list, checklist_progress, inspection_list, latest_template, target_list
from .common import due_days, raise_invalid
from .opinions import issue_opinions

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}


def _team(actor: User, team: list[int] | None, errors: dict) -> list:
    ids = list(dict.fromkeys(team or []))
    if not ids:
        if actor.role == Role.ADMIN:
            errors["team"] = [_("Name at least one inspector.")]
        return [actor]
    members = list(
        user_list(visible_to=actor).filter(
            pk__in=ids, is_active=True, role__in=[Role.INSPECTOR, Role.OFFICE, Role.ADMIN]
        )
    )
    if len(members) != len(ids):
        errors["team"] = [_("Unknown team member.")]
    return members


@transaction.atomic
def inspection_create(
    *,
    actor: User,
    target: int,
    kind: str,
    planned_on: date,
    checklist: int | None = None,
    team: list[int] | None = None,
    note: str = "",
    plan: InspectionPlan | None = None,
    today: date | None = None,
) -> Inspection:
    today = today or timezone.localdate()
    if not rules.may_plan(actor):
        raise Forbidden(_("Your role does not plan inspections."))
    errors: dict = {}
    organization = target_list(visible_to=actor).filter(pk=target).first() if target else None
    if organization is None:
        errors["target"] = [_("Unknown target.")]
    if kind not in Inspection.Kind.values:
        errors["kind"] = [_("Choose one of: %(values)s.") % {"values": ", ".join(Inspection.Kind.values)}]
    elif organization is not None:
        is_enterprise = organization.kind == Organization.Kind.ENTERPRISE
        if kind == Inspection.Kind.GOVERNMENT_SUPERVISION and is_enterprise:
            errors["target"] = [_("Supervision is of a government or department; choose one.")]
        if kind != Inspection.Kind.GOVERNMENT_SUPERVISION and not is_enterprise:
            errors["kind"] = [_("A government or department is inspected by supervision.")]
    if planned_on is None:
        errors["planned_on"] = [_("This field is required.")]
    elif planned_on < today - timedelta(days=365):
        errors["planned_on"] = [_("The planned date is too far in the past.")]
    template = None
    if checklist:
        template = checklist_list(visible_to=actor).filter(pk=checklist, is_active=True).first()
        if template is None:
            errors["checklist"] = [_("Unknown checklist.")]
    elif organization is not None and organization.industry:
        template = latest_template(organization.industry)
    note = clean_text(note, "note", errors, max_length=5000)
    members = _team(actor, team, errors)
    raise_invalid(errors)
    inspection = Inspection.objects.create(
        target=organization,
        region_id=organization.region_id,
        industry=organization.industry or "",
        kind=kind,
        planned_on=planned_on,
        checklist=template,
        organizer=actor.organization,
        plan=plan,
        note=note,
        created_by=actor,
    )
    inspection.team.set(members)
    record_event(
        actor=actor,
        subject=inspection,
        action="create",
        to_status=inspection.status,
        data={
            "target": organization.pk,
            "kind": kind,
            "planned_on": planned_on.isoformat(),
            "checklist": template.pk if template else None,
            "team": [m.pk for m in members],
        },
    )
    return inspection


def _locked(actor: User, inspection_id: int, *, version: int | None = None) -> Inspection:
    """The inspection, locked, for a member of its team; an action on it carries no version or
    the current one (design.md: start and finish accept an empty body)."""
    inspection = lock_versioned(
        inspection_list(visible_to=actor), inspection_id, version, version_required=False
    )
    reason = rules.why_not_run(actor, inspection)
    if reason:
        raise Forbidden(reason)
    return inspection


def _coordinate(value, field: str, limit: int, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        number = None
    if number is None or not number.is_finite() or abs(number) > limit:
        errors[field] = [_("Out of range.")]
        return None
    return number.quantize(Decimal("0.000001"))


@transaction.atomic
def inspection_start(
    *, actor: User, inspection_id: int, lat=None, lng=None, version: int | None = None
) -> Inspection:
    inspection = _locked(actor, inspection_id, version=version)
    if inspection.status == Inspection.Status.IN_PROGRESS:
        return inspection  # started already (a retried request on a slow connection)
    cannot = _("This inspection cannot be started now.")
    inspection.require(Inspection.Action.START, field="status", message=cannot)
    errors: dict = {}
    inspection.start_lat = _coordinate(lat, "lat", 90, errors)
    inspection.start_lng = _coordinate(lng, "lng", 180, errors)
    raise_invalid(errors)
    inspection.started_at = timezone.now()
    transition(
        inspection,
        Inspection.Action.START,
        record=record_event,
        fields=["started_at", "start_lat", "start_lng"],
        actor=actor,
        data={"lat": str(inspection.start_lat or ""), "lng": str(inspection.start_lng or "")},
    )
    return inspection


def _running(actor: User, inspection_id: int) -> Inspection:
    inspection = _locked(actor, inspection_id)
    if inspection.status != Inspection.Status.IN_PROGRESS:
        raise Invalid.field("status", _("Only an inspection in progress takes answers and findings."))
    return inspection


@transaction.atomic
def inspection_answer(*, actor: User, inspection_id: int, item: int, result: str, note: str = "") -> Answer:
    inspection = _running(actor, inspection_id)
    errors: dict = {}
    checklist_item = (
        ChecklistItem.objects.filter(pk=item, template_id=inspection.checklist_id).first() if item else None
    )
    if checklist_item is None:
        errors["item"] = [_("Not an item of this inspection's checklist.")]
    if result not in Answer.Result.values:
        errors["result"] = [_("Choose one of: %(values)s.") % {"values": ", ".join(Answer.Result.values)}]
    note = clean_text(note, "note", errors, max_length=5000)
    raise_invalid(errors)
    answer, created = Answer.objects.update_or_create(
        inspection=inspection,
        item=checklist_item,
        defaults={"result": result, "note": note, "answered_by": actor},
    )
    record_event(
        actor=actor,
        subject=inspection,
        action="answer",
        from_status=inspection.status,
        to_status=inspection.status,
        note=note,
        data={"item": checklist_item.pk, "result": result},
    )
    return answer


@transaction.atomic
def finding_add(
    *,
    actor: User,
    inspection_id: int,
    title: str,
    description: str = "",
    level: str = "general",
    location: str = "",
) -> Finding:
    inspection = _running(actor, inspection_id)
    errors: dict = {}
    title = clean_text(title, "title", errors, required=True, max_length=200)
    description = clean_text(description, "description", errors, max_length=10000)
    location = clean_text(location, "location", errors, max_length=200)
    if level not in Finding.Level.values:
        errors["level"] = [_("Choose one of: general, major.")]
    raise_invalid(errors)
    finding = Finding.objects.create(
        inspection=inspection,
        title=title,
        description=description,
        location=location,
        level=level,
        created_by=actor,
    )
    record_event(
        actor=actor,
        subject=inspection,
        action="finding",
        from_status=inspection.status,
        to_status=inspection.status,
        data={"finding": finding.pk, "title": title, "level": level},
    )
    return finding


@transaction.atomic
def photo_add(
    *, actor: User, inspection_id: int, upload, item: int | None = None, finding: int | None = None
) -> Photo:
    inspection = _running(actor, inspection_id)
    errors: dict = {}
    checklist_item = finding_obj = None
    if item:
        checklist_item = ChecklistItem.objects.filter(pk=item, template_id=inspection.checklist_id).first()
        if checklist_item is None:
            errors["item"] = [_("Not an item of this inspection's checklist.")]
    if finding:
        finding_obj = inspection.findings.filter(pk=finding).first()
        if finding_obj is None:
            errors["finding"] = [_("Not a finding of this inspection.")]
    if upload is None:
        errors["file"] = [_("This field is required.")]
    raise_invalid(errors)
    checked = check_upload(upload, allowed=PHOTO_TYPES, wrong_type=_("Upload a photo (JPEG, PNG or WebP)."))
    photo = Photo(
        inspection=inspection,
        item=checklist_item,
        finding=finding_obj,
        content_type=checked.mime,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    photo.file.save(*checked.as_file(), save=False)
    photo.save()
    record_event(
        actor=actor,
        subject=inspection,
        action="photo",
        from_status=inspection.status,
        to_status=inspection.status,
        data={"photo": photo.pk, "sha256": photo.sha256, "item": item, "finding": finding},
    )
    return photo


def _hazard_description(inspection: Inspection, note: str, source: str) -> str:
    parts = [note] if note else []
    parts.append(_("Found by inspection #%(id)s.") % {"id": inspection.pk})
    if source:
        parts.append(_("Basis: %(source)s") % {"source": source})
    return "\n".join(parts)


@transaction.atomic
def inspection_finish(
    *,
    actor: User,
    inspection_id: int,
    found_operating: bool | None = None,
    allow_unanswered: bool = False,
    today: date | None = None,
) -> Inspection:
    """Turn every failed item and finding into a hidden danger (or, for supervision of a
    government, a rectification opinion); the photos taken on them become the hidden danger's
    "before" evidence. Items left unanswered need `allow_unanswered`: an item skipped by
    mistake is a check that was never made. Finishing again changes nothing and answers the
    same inspection, so a retried request never registers anything twice."""
    today = today or timezone.localdate()
    inspection = _locked(actor, inspection_id)
    if inspection.status == Inspection.Status.FINISHED:
        return inspection
    inspection.require(
        Inspection.Action.FINISH, field="status", message=_("Only an inspection in progress can be finished.")
    )
    answered, total = checklist_progress(inspection)
    if answered < total and not allow_unanswered:
        raise Invalid.field(
            "items",
            _(
                "%(left)s of %(total)s checklist items are unanswered; answer them or confirm "
                "finishing without them."
            )
            % {"left": total - answered, "total": total},
        )
    failed = list(
        inspection.answers.filter(result=Answer.Result.FAIL, hazard__isnull=True)
        .select_related("item")
        .order_by("item__position")
    )
    findings = list(inspection.findings.filter(hazard__isnull=True))
    if inspection.is_supervision:
        produced = issue_opinions(inspection, failed, findings, today)
    else:
        produced = _register_hazards(actor, inspection, failed, findings, today)
    inspection.finished_at = timezone.now()
    inspection.found_operating = found_operating
    transition(
        inspection,
        Inspection.Action.FINISH,
        record=record_event,
        fields=["finished_at", "found_operating"],
        actor=actor,
        data={"opinions" if inspection.is_supervision else "hazards": produced},
    )
    if found_operating and inspection.target.status != Organization.Status.OPERATING:
        _open_resumption_case(actor, inspection)
    return inspection


def _register_hazards(
    actor: User, inspection: Inspection, failed: list[Answer], findings: list[Finding], today: date
) -> list[int]:
    """A hidden danger for each failed item and finding, with the photos taken on it; their ids."""
    photos = list(inspection.photos.all())
    registered = []
    for answer in failed:
        # domain.md §2.1/§3: failing a listed criterion makes the hidden danger major.
        level = "major" if answer.item.is_major else "general"
        hazard = hazard_create(
            actor=actor,
            enterprise=inspection.target_id,
            title=answer.item.text[:200],
            description=_hazard_description(inspection, answer.note, answer.item.source),
            level=level,
            source="inspection",
            due_date=today + timedelta(days=due_days(level)),
            today=today,
        )
        answer.hazard = hazard
        answer.save(update_fields=["hazard"])
        _photos_follow(actor, inspection, hazard, [p for p in photos if p.item_id == answer.item_id])
        registered.append(hazard.pk)
    for finding in findings:
        hazard = hazard_create(
            actor=actor,
            enterprise=inspection.target_id,
            title=finding.title,
            description=_hazard_description(inspection, finding.description, ""),
            location=finding.location,
            level=finding.level,
            source="inspection",
            due_date=today + timedelta(days=due_days(finding.level)),
            today=today,
        )
        finding.hazard = hazard
        finding.save(update_fields=["hazard"])
        _photos_follow(actor, inspection, hazard, [p for p in photos if p.finding_id == finding.pk])
        registered.append(hazard.pk)
    return registered


def _photos_follow(actor: User, inspection: Inspection, hazard, photos: list[Photo]) -> None:
    for photo in photos:
        with photo.file.open("rb") as stored:
            content = stored.read()
        hazard_add_found_evidence(
            actor=actor,
            hazard=hazard,
            content=content,
            mime=photo.content_type,
            origin={"inspection": inspection.pk, "photo": photo.pk},
        )


def _open_resumption_case(actor: User, inspection: Inspection) -> None:
    """A suspended or closed enterprise found operating: a case for the department to pursue."""
    target = inspection.target
    case = ResumptionCase.objects.create(
        enterprise=target,
        inspection=inspection,
        region_id=target.region_id,
        industry=target.industry,
        enterprise_status=target.status,
    )
    record_event(
        actor=actor,
        subject=case,
        action="create",
        data={"enterprise": target.pk, "status": target.status, "inspection": inspection.pk},
    )


@transaction.atomic
def inspection_cancel(*, actor: User, inspection_id: int, note: str = "") -> Inspection:
    inspection = _locked(actor, inspection_id)
    note = bounded_text(note, "note", max_length=2000)
    transition(
        inspection,
        Inspection.Action.CANCEL,
        record=record_event,
        field="status",
        message=_("Only a planned inspection can be cancelled."),
        actor=actor,
        note=note,
    )
    return inspection
