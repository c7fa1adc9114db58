"""Writes for checklists, inspections, opinions and enforcement. Each runs in one transaction
and records its audit event in it. Hidden dangers are created only through hazards.services."""

import random
import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from worksafe.audit.services import NewEvent, record_event, record_events
from worksafe.core.errors import NOTE_MAX, Forbidden, Invalid, NotFound, bounded_text, clean_text, parse_money
from worksafe.core.transitions import lock_versioned, save_versioned, transition
from worksafe.core.uploads import check_upload
from worksafe.hazards.services import hazard_add_found_evidence, hazard_create
from worksafe.orgs.models import Industry, Organization, Role
from worksafe.orgs.selectors import user_list
from worksafe.regions.models import in_subtree
from worksafe.regions.selectors import region_get

from . import rules
from .models import (
    Answer,
    ChecklistItem,
    ChecklistTemplate,
    Enforcement,
    Finding,
    Inspection,
    InspectionPlan,
    Opinion,
    OpinionReport,
    Photo,
    ResumptionCase,
)
from .penalties import BY_CODE
from .selectors import (
    checklist_in_use,
    checklist_list,
    checklist_progress,
    enforcement_list,
    inspection_list,
    latest_template,
    opinion_list,
    referral_receivers,
    target_list,
)

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}


def due_days(level: str) -> int:
    """Days to rectify proposed by level when an inspection registers a hidden danger."""
    return settings.WORKSAFE_INSPECTION_DUE_DAYS[level]


def _raise(errors: dict) -> None:
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)


# --- checklists -----------------------------------------------------------------------------


@transaction.atomic
def checklist_copy(*, actor, template_id: int, name: str = "") -> ChecklistTemplate:
    """Adapt a template without a code change: copy it with its items. Copying one's own
    template makes its next version; an inspection keeps the version it used."""
    source = checklist_list(visible_to=actor).filter(pk=template_id).first()
    if source is None:
        raise NotFound()
    if not rules.may_adapt_checklists(actor):
        raise Forbidden(_("Only administrators and offices adapt checklists."))
    errors: dict = {}
    name = clean_text(name, "name", errors, max_length=200) or source.name
    _raise(errors)
    owner = actor.organization
    if source.owner_id is not None and source.owner_id == getattr(owner, "pk", None):
        code = source.code
    else:
        code = f"org{owner.pk}-{source.industry}" if owner else f"admin-{source.industry}"
    version = (ChecklistTemplate.objects.filter(code=code).aggregate(v=Max("version"))["v"] or 0) + 1
    copy = ChecklistTemplate.objects.create(
        code=code,
        version=version,
        industry=source.industry,
        name=name,
        source=source.source,
        owner=owner,
        based_on=source,
        created_by=actor,
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            template=copy,
            position=i.position,
            text=i.text,
            gloss=i.gloss,
            is_major=i.is_major,
            source=i.source,
        )
        for i in source.items.all()
    )
    record_event(
        actor=actor,
        subject=copy,
        action="copy",
        data={"from": source.pk, "code": code, "version": version},
    )
    return copy


def _own_template(actor, template_id: int) -> ChecklistTemplate:
    template = checklist_list(visible_to=actor).select_for_update(of=("self",)).filter(pk=template_id).first()
    if template is None:
        raise NotFound()
    if not rules.may_edit_checklist(actor, template):
        raise Forbidden(_("Copy this checklist to adapt it."))
    if checklist_in_use(template):
        raise Invalid.field(
            "template", _("This version is used by an inspection; copy it to make a new version.")
        )
    return template


@transaction.atomic
def checklist_item_add(
    *, actor, template_id: int, text: str, gloss: str = "", is_major: bool = False, source: str = ""
) -> ChecklistItem:
    template = _own_template(actor, template_id)
    errors: dict = {}
    text = clean_text(text, "text", errors, required=True, max_length=2000)
    gloss = clean_text(gloss, "gloss", errors, max_length=2000)
    source = clean_text(source, "source", errors, max_length=300)
    _raise(errors)
    position = (template.items.aggregate(p=Max("position"))["p"] or 0) + 1
    item = ChecklistItem.objects.create(
        template=template, position=position, text=text, gloss=gloss, is_major=bool(is_major), source=source
    )
    record_event(
        actor=actor,
        subject=template,
        action="item_add",
        data={"item": item.pk, "text": text, "is_major": item.is_major},
    )
    return item


@transaction.atomic
def checklist_item_remove(*, actor, template_id: int, item_id: int) -> None:
    template = _own_template(actor, template_id)
    item = template.items.filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    record_event(
        actor=actor,
        subject=template,
        action="item_remove",
        data={"item": item.pk, "text": item.text},
    )
    item.delete()


# --- inspections ----------------------------------------------------------------------------


def _team(actor, team: list[int] | None, errors: dict) -> list:
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
    actor,
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
    _raise(errors)
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


def _locked(actor, inspection_id: int, *, version: int | None = None) -> Inspection:
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
    *, actor, inspection_id: int, lat=None, lng=None, version: int | None = None
) -> Inspection:
    inspection = _locked(actor, inspection_id, version=version)
    if inspection.status == Inspection.Status.IN_PROGRESS:
        return inspection  # started already (a retried request on a slow connection)
    cannot = _("This inspection cannot be started now.")
    inspection.require(Inspection.Action.START, field="status", message=cannot)
    errors: dict = {}
    inspection.start_lat = _coordinate(lat, "lat", 90, errors)
    inspection.start_lng = _coordinate(lng, "lng", 180, errors)
    _raise(errors)
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


def _running(actor, inspection_id: int) -> Inspection:
    inspection = _locked(actor, inspection_id)
    if inspection.status != Inspection.Status.IN_PROGRESS:
        raise Invalid.field("status", _("Only an inspection in progress takes answers and findings."))
    return inspection


@transaction.atomic
def inspection_answer(*, actor, inspection_id: int, item: int, result: str, note: str = "") -> Answer:
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
    _raise(errors)
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
    actor,
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
    _raise(errors)
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
    *, actor, inspection_id: int, upload, item: int | None = None, finding: int | None = None
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
    _raise(errors)
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
    actor,
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
    photos = list(inspection.photos.all())
    produced = []
    if inspection.is_supervision:
        for answer in failed:
            if not Opinion.objects.filter(answer=answer).exists():
                produced.append(
                    _opinion(
                        inspection, answer.item.is_major, answer.item.text, answer.note, today, answer=answer
                    )
                )
        for finding in findings:
            if not Opinion.objects.filter(finding=finding).exists():
                text = f"{finding.title}\n{finding.description}".strip()
                produced.append(
                    _opinion(inspection, finding.level == "major", text, "", today, finding=finding)
                )
    else:
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
            produced.append(hazard.pk)
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
            produced.append(hazard.pk)
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
    target = inspection.target
    if found_operating and target.status != Organization.Status.OPERATING:
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
    return inspection


def _photos_follow(actor, inspection: Inspection, hazard, photos: list[Photo]) -> None:
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


def _opinion(inspection, is_major: bool, text: str, note: str, today: date, **link) -> int:
    level = "major" if is_major else "general"
    opinion = Opinion.objects.create(
        inspection=inspection,
        addressee=inspection.target,
        region_id=inspection.region_id,
        text=(text + (f"\n{note}" if note else "")).strip(),
        is_major=is_major,
        deadline=today + timedelta(days=due_days(level)),
        **link,
    )
    return opinion.pk


@transaction.atomic
def inspection_cancel(*, actor, inspection_id: int, note: str = "") -> Inspection:
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


# --- rectification opinions (supervision of governments) -------------------------------------


@transaction.atomic
def opinion_act(*, actor, opinion_id: int, action: str, version: int, note: str = "") -> Opinion:
    Opinion.check_action(action)
    opinion = lock_versioned(opinion_list(visible_to=actor), opinion_id, version)
    reason = rules.may_act_on_opinion(actor, opinion, action)
    if reason:
        raise Forbidden(reason)
    target = opinion.require(action, message=_("This opinion's status does not allow that."))
    required = action in (Opinion.Action.REPORT, Opinion.Action.SUBMIT, Opinion.Action.REJECT)
    note = bounded_text(note, "note", max_length=NOTE_MAX, required=required)
    if target == Opinion.Status.CLOSED:
        opinion.closed_at = timezone.now()
    transition(opinion, action, record=record_event, fields=["closed_at"], actor=actor, note=note)
    OpinionReport.objects.create(opinion=opinion, action=action, note=note, by=actor)
    return opinion


# --- plans: picking targets by rule or by a recorded random draw ----------------------------


def draw(
    *, candidates: list[int], pool: list[int], seed: str, target_count: int, team_size: int
) -> list[dict]:
    """ "Double random": targets from the candidates and, for each, inspectors from the pool.
    Deterministic: the same seed and the same candidates and pool (in any order) give the same
    draw, so an auditor can reproduce it."""
    rng = random.Random(f"worksafe-draw:{seed}")  # noqa: S311  (reproducibility, not secrecy)
    targets = rng.sample(sorted(set(candidates)), min(target_count, len(set(candidates))))
    people = sorted(set(pool))
    return [{"target": t, "team": sorted(rng.sample(people, min(team_size, len(people))))} for t in targets]


def plan_candidates(*, actor, criteria: dict, today: date) -> list[int]:
    """Enterprises in the actor's area matching the rule: industry, region, risk (open major
    hidden dangers) and time since the last finished inspection."""
    from worksafe.hazards.selectors import hazard_list

    queryset = target_list(visible_to=actor).filter(kind=Organization.Kind.ENTERPRISE)
    if criteria.get("industry"):
        queryset = queryset.filter(industry=criteria["industry"])
    if criteria.get("region"):
        queryset = queryset.filter(in_subtree("region_id", criteria["region"]))
    if criteria.get("status"):
        queryset = queryset.filter(status=criteria["status"])
    if criteria.get("with_open_major_hazards"):
        risky = hazard_list(visible_to=actor).filter(
            level="major", status__in=["reported", "rectifying", "pending_acceptance"]
        )
        queryset = queryset.filter(pk__in=risky.values("enterprise_id"))
    days = criteria.get("days_since_last_inspection")
    if days:
        recent = Inspection.objects.filter(
            status=Inspection.Status.FINISHED, finished_at__date__gte=today - timedelta(days=int(days))
        )
        queryset = queryset.exclude(pk__in=recent.values("target_id"))
    return sorted(queryset.values_list("pk", flat=True))


@transaction.atomic
def plan_create(
    *,
    actor,
    name: str,
    method: str,
    kind: str,
    planned_on: date,
    target_count: int,
    criteria: dict | None = None,
    seed: str = "",
    team_size: int = 2,
    pool: list[int] | None = None,
    today: date | None = None,
) -> InspectionPlan:
    today = today or timezone.localdate()
    if not rules.may_plan(actor):
        raise Forbidden(_("Your role does not plan inspections."))
    errors: dict = {}
    name = clean_text(name, "name", errors, required=True, max_length=200)
    criteria = {k: v for k, v in (criteria or {}).items() if v not in (None, "", False)}
    if method not in InspectionPlan.Method.values:
        errors["method"] = [_("Choose one of: rule, random.")]
    if kind not in (Inspection.Kind.ROUTINE, Inspection.Kind.SPECIAL, Inspection.Kind.UNANNOUNCED):
        errors["kind"] = [_("Choose one of: routine, special, unannounced.")]
    if criteria.get("industry") and criteria["industry"] not in Industry.values:
        errors["criteria.industry"] = [_("Unknown industry.")]
    if criteria.get("region") and region_get(criteria["region"]) is None:
        errors["criteria.region"] = [_("Unknown region code.")]
    if not 1 <= (target_count or 0) <= 500:
        errors["target_count"] = [_("Between 1 and 500.")]
    if not 1 <= (team_size or 0) <= 10:
        errors["team_size"] = [_("Between 1 and 10.")]
    if method == InspectionPlan.Method.RANDOM:
        seed = clean_text(seed, "seed", errors, max_length=64) or uuid.uuid4().hex
    people = []
    if pool:
        people = list(
            user_list(visible_to=actor)
            .filter(pk__in=set(pool), role__in=[Role.INSPECTOR, Role.OFFICE], is_active=True)
            .values_list("pk", flat=True)
        )
        if len(people) != len(set(pool)):
            errors["pool"] = [_("Unknown inspector.")]
    elif actor.role != Role.ADMIN:
        people = [actor.pk]
    else:
        errors["pool"] = [_("Name the inspectors to draw from.")]
    if planned_on is None:
        errors["planned_on"] = [_("This field is required.")]
    _raise(errors)
    candidates = plan_candidates(actor=actor, criteria=criteria, today=today)
    if method == InspectionPlan.Method.RANDOM:
        picked = draw(
            candidates=candidates, pool=people, seed=seed, target_count=target_count, team_size=team_size
        )
    else:
        picked = [{"target": t, "team": sorted(people)[:team_size]} for t in candidates[:target_count]]
    plan = InspectionPlan.objects.create(
        name=name,
        organizer=actor.organization,
        region_id=criteria.get("region") or (actor.organization.region_id if actor.organization else None),
        method=method,
        criteria=criteria,
        seed=seed if method == InspectionPlan.Method.RANDOM else "",
        target_count=target_count,
        team_size=team_size,
        candidates=candidates,
        pool=sorted(people),
        draw=picked,
        created_by=actor,
    )
    record_event(
        actor=actor,
        subject=plan,
        action="draw",
        data={
            "method": method,
            "seed": plan.seed,
            "candidates": candidates,
            "pool": plan.pool,
            "draw": picked,
        },
    )
    for entry in picked:
        inspection_create(
            actor=actor,
            target=entry["target"],
            kind=kind,
            planned_on=planned_on,
            team=entry["team"],
            plan=plan,
            today=today,
        )
    return plan


# --- enforcement ----------------------------------------------------------------------------


@transaction.atomic
def enforcement_create(
    *,
    actor,
    target: int,
    kind: str,
    amount=None,
    legal_article: str = "",
    legal_basis: str = "",
    number: str = "",
    description: str = "",
    deadline: date | None = None,
    inspection: int | None = None,
    referred_to: int | None = None,
    referral: int | None = None,
    today: date | None = None,
) -> Enforcement:
    today = today or timezone.localdate()
    if not rules.may_enforce(actor):
        raise Forbidden(_("Your role does not take enforcement action."))
    errors: dict = {}
    enterprise = target_list(visible_to=actor).filter(pk=target, kind=Organization.Kind.ENTERPRISE).first()
    if enterprise is None:
        errors["target"] = [_("Unknown enterprise.")]
    if kind not in Enforcement.Kind.values:
        errors["kind"] = [_("Choose one of: %(values)s.") % {"values": ", ".join(Enforcement.Kind.values)}]
    _raise(errors)
    reason = rules.why_not_enforce(actor, enterprise, kind)
    if reason:
        raise Forbidden(reason)
    amount = parse_money(amount, "amount", errors)
    article = None
    if legal_article:
        article = BY_CODE.get(legal_article)
        if article is None:
            errors["legal_article"] = [_("Choose an article from the list, or leave it empty.")]
    if kind == Enforcement.Kind.FINE and amount is None and "amount" not in errors:
        errors["amount"] = [_("A fine needs its amount.")]
    elif kind == Enforcement.Kind.FINE and amount is not None and "legal_article" not in errors:
        reason = rules.why_not_fine(amount, article)
        if reason:
            errors["amount"] = [reason]
    if kind != Enforcement.Kind.FINE and amount is not None:
        errors["amount"] = [_("Only a fine has an amount.")]
    legal_basis = clean_text(legal_basis, "legal_basis", errors, max_length=300)
    if article is not None and not legal_basis:
        legal_basis = article.citation
    if kind in Enforcement.PENALTIES and not legal_basis:
        errors["legal_basis"] = [_("Cite the legal basis.")]
    number = clean_text(number, "number", errors, max_length=60)
    description = clean_text(description, "description", errors, max_length=10000)
    if deadline is not None and deadline < today:
        errors["deadline"] = [_("The deadline cannot be in the past.")]
    if kind == Enforcement.Kind.ORDER_RECTIFY and deadline is None:
        errors["deadline"] = [_("An order to rectify needs a deadline.")]
    linked_inspection = None
    if inspection:
        linked_inspection = inspection_list(visible_to=actor).filter(pk=inspection, target_id=target).first()
        if linked_inspection is None:
            errors["inspection"] = [_("Unknown inspection of this enterprise.")]
    receiver = None
    if kind == Enforcement.Kind.REFERRAL and not referred_to:
        # Routed to the department in charge nearest the enterprise: its region, then upwards.
        nearest = referral_receivers(target=enterprise, exclude=actor.organization_id)
        receiver = nearest[0] if nearest else None
        if receiver is None:
            errors["referred_to"] = [
                _(
                    "No department that may penalize supervises this enterprise's industry in its "
                    "region or above; name the receiving department."
                )
            ]
    elif kind == Enforcement.Kind.REFERRAL:
        receiver = Organization.objects.filter(pk=referred_to, kind=Organization.Kind.DEPARTMENT).first()
        if receiver is None or not rules.may_receive_referral(receiver, enterprise):
            errors["referred_to"] = [
                _("Refer to a department that may penalize and supervises this enterprise.")
            ]
        elif actor.organization_id == receiver.pk:
            errors["referred_to"] = [_("Refer the case to another department.")]
    elif referred_to:
        errors["referred_to"] = [_("Only a referral names a receiving department.")]
    source_referral = None
    if referral:
        source_referral = (
            enforcement_list(visible_to=actor)
            .select_for_update(of=("self",))
            .filter(pk=referral, kind=Enforcement.Kind.REFERRAL, target_id=target)
            .first()
        )
        if source_referral is None:
            errors["referral"] = [_("Unknown referral of this enterprise.")]
        elif not rules.is_referred_to(actor, source_referral):
            errors["referral"] = [_("This referral was sent to another department.")]
        elif kind == Enforcement.Kind.REFERRAL:
            errors["referral"] = [_("Act on a referral with an action, not another referral.")]
    _raise(errors)
    issuer = actor.organization or (source_referral.referred_to if source_referral else None)
    if issuer is None:
        raise Invalid.field("issued_by", _("An administrator acts on behalf of a department; act as one."))
    action = Enforcement.objects.create(
        target=enterprise,
        region_id=enterprise.region_id,
        industry=enterprise.industry,
        kind=kind,
        status=Enforcement.Status.PENDING if kind == Enforcement.Kind.REFERRAL else Enforcement.Status.ISSUED,
        issued_by=issuer,
        issued_by_user=actor,
        amount=amount,
        legal_article=legal_article if article else "",
        legal_basis=legal_basis,
        number=number,
        description=description,
        deadline=deadline,
        inspection=linked_inspection,
        referred_to=receiver,
        referral=source_referral,
    )
    events = [
        NewEvent(
            actor=actor,
            subject=action,
            action="create",
            to_status=action.status,
            data={
                "kind": kind,
                "target": enterprise.pk,
                "amount": str(amount) if amount is not None else None,
                "legal_article": legal_article,
                "number": number,
                "referred_to": receiver.pk if receiver else None,
                "referral": referral,
            },
        )
    ]
    if source_referral is not None:
        source_referral.status = Enforcement.Status.ACTED
        save_versioned(source_referral, ["status"])
        events.append(
            NewEvent(
                actor=actor,
                subject=source_referral,
                action="acted",
                from_status=Enforcement.Status.PENDING,
                to_status=Enforcement.Status.ACTED,
                data={"action": action.pk},
            )
        )
    new_status = {
        Enforcement.Kind.SUSPEND: Organization.Status.SUSPENDED,
        Enforcement.Kind.CLOSE: Organization.Status.CLOSED,
    }.get(kind)
    if new_status and enterprise.status != new_status:
        # The enterprise is flagged so any later inspection finding it operating is a case.
        events.append(
            NewEvent(
                actor=actor,
                subject=enterprise,
                action="status",
                from_status=enterprise.status,
                to_status=new_status,
                data={"enforcement": action.pk},
            )
        )
        Organization.objects.filter(pk=enterprise.pk).update(status=new_status, updated_at=timezone.now())
    record_events(events)
    return action


@transaction.atomic
def enforcement_complete(*, actor, enforcement_id: int, version: int, note: str = "") -> Enforcement:
    action = lock_versioned(enforcement_list(visible_to=actor), enforcement_id, version)
    if not rules.may_complete_enforcement(actor, action):
        raise Forbidden(_("Only the issuing department records completion."))
    if action.status != Enforcement.Status.ISSUED:
        raise Invalid.field("status", _("Only an issued action can be completed."))
    note = bounded_text(note, "note", max_length=2000)
    action.status = Enforcement.Status.COMPLETED
    save_versioned(action, ["status"])
    record_event(
        actor=actor,
        subject=action,
        action="complete",
        from_status=Enforcement.Status.ISSUED,
        to_status=action.status,
        note=note,
    )
    return action
