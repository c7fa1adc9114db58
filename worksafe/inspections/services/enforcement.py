"""Enforcement: an administrative action (order, fine, suspension, closure) against an
enterprise, or a referral to the department that may penalize it, and its completion."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from worksafe.audit.services import NewEvent, record_event, record_events
from worksafe.core.errors import Forbidden, Invalid, bounded_text, clean_text, parse_money
from worksafe.core.transitions import lock_versioned, save_versioned
from worksafe.orgs.models import Organization, User

from .. import rules
from ..models import Enforcement
from ..penalties import BY_CODE, FineRange
from ..selectors import enforcement_list, inspection_list, referral_receivers, target_list
from .common import raise_invalid


@transaction.atomic
def enforcement_create(
    *,
    actor: User,
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
    raise_invalid(errors)
    reason = rules.why_not_enforce(actor, enterprise, kind)
    if reason:
        raise Forbidden(reason)
    amount, article, legal_basis = _penalty(kind, amount, legal_article, legal_basis, errors)
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
    receiver = _receiver(actor, enterprise, kind, referred_to, errors)
    source_referral = _validate_referral(actor, enterprise, kind, referral, errors) if referral else None
    raise_invalid(errors)
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
    events = [_created_event(actor, action, referral)]
    if source_referral is not None:
        events.append(_close_source_referral(actor, source_referral, action))
    events.extend(_flag_enterprise_status(actor, enterprise, action))
    record_events(events)
    return action


def _created_event(actor: User, action: Enforcement, referral: int | None) -> NewEvent:
    return NewEvent(
        actor=actor,
        subject=action,
        action="create",
        to_status=action.status,
        data={
            "kind": action.kind,
            "target": action.target_id,
            "amount": str(action.amount) if action.amount is not None else None,
            "legal_article": action.legal_article,
            "number": action.number,
            "referred_to": action.referred_to_id,
            "referral": referral,
        },
    )


def _penalty(
    kind: str, amount, legal_article: str, legal_basis: str, errors: dict
) -> tuple[Decimal | None, FineRange | None, str]:
    """The amount, the article of the penalty list and the legal basis cited: only a fine has an
    amount, within what its article allows, and a penalty cites its basis (the article's
    citation when none is written)."""
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
    return amount, article, legal_basis


def _receiver(
    actor: User, enterprise: Organization, kind: str, referred_to: int | None, errors: dict
) -> Organization | None:
    """The department a referral goes to: the one named, or the nearest in charge."""
    if kind != Enforcement.Kind.REFERRAL:
        if referred_to:
            errors["referred_to"] = [_("Only a referral names a receiving department.")]
        return None
    if not referred_to:
        # Routed to the department in charge nearest the enterprise: its region, then upwards.
        nearest = referral_receivers(target=enterprise, exclude=actor.organization_id)
        if not nearest:
            errors["referred_to"] = [
                _(
                    "No department that may penalize supervises this enterprise's industry in its "
                    "region or above; name the receiving department."
                )
            ]
            return None
        return nearest[0]
    receiver = Organization.objects.filter(pk=referred_to, kind=Organization.Kind.DEPARTMENT).first()
    if receiver is None or not rules.may_receive_referral(receiver, enterprise):
        errors["referred_to"] = [_("Refer to a department that may penalize and supervises this enterprise.")]
    elif actor.organization_id == receiver.pk:
        errors["referred_to"] = [_("Refer the case to another department.")]
    return receiver


def _validate_referral(
    actor: User, enterprise: Organization, kind: str, referral: int, errors: dict
) -> Enforcement | None:
    """The referral this action answers, locked: one of this enterprise, sent to the actor's
    department, and answered with an action rather than passed on again."""
    source = (
        enforcement_list(visible_to=actor)
        .select_for_update(of=("self",))
        .filter(pk=referral, kind=Enforcement.Kind.REFERRAL, target_id=enterprise.pk)
        .first()
    )
    if source is None:
        errors["referral"] = [_("Unknown referral of this enterprise.")]
    elif not rules.is_referred_to(actor, source):
        errors["referral"] = [_("This referral was sent to another department.")]
    elif kind == Enforcement.Kind.REFERRAL:
        errors["referral"] = [_("Act on a referral with an action, not another referral.")]
    return source


def _close_source_referral(actor: User, source: Enforcement, action: Enforcement) -> NewEvent:
    source.status = Enforcement.Status.ACTED
    save_versioned(source, ["status"])
    return NewEvent(
        actor=actor,
        subject=source,
        action="acted",
        from_status=Enforcement.Status.PENDING,
        to_status=Enforcement.Status.ACTED,
        data={"action": action.pk},
    )


def _flag_enterprise_status(actor: User, enterprise: Organization, action: Enforcement) -> list[NewEvent]:
    """A suspension or closure flags the enterprise, so any later inspection finding it
    operating opens a case."""
    new_status = {
        Enforcement.Kind.SUSPEND: Organization.Status.SUSPENDED,
        Enforcement.Kind.CLOSE: Organization.Status.CLOSED,
    }.get(action.kind)
    if not new_status or enterprise.status == new_status:
        return []
    event = NewEvent(
        actor=actor,
        subject=enterprise,
        action="status",
        from_status=enterprise.status,
        to_status=new_status,
        data={"enforcement": action.pk},
    )
    Organization.objects.filter(pk=enterprise.pk).update(status=new_status, updated_at=timezone.now())
    return [event]


@transaction.atomic
def enforcement_complete(*, actor: User, enforcement_id: int, version: int, note: str = "") -> Enforcement:
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
