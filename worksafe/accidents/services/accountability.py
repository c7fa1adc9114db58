"""Accountability: the fine range the law proposes and the decisions taken on an accident
(domain.md §5)."""

from django.db import transaction
from django.utils.translation import gettext as _

from worksafe.audit.services import record_event
from worksafe.core.errors import NOTE_MAX, Forbidden, Invalid, bounded_text, parse_money
from worksafe.orgs.models import Organization, User
from worksafe.orgs.selectors import organization_list

from .. import rules
from ..models import Accident, Decision
from ..selectors import accident_get


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
    actor: User,
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
    org, person_name = _party(actor, accident, subject, organization, person_name, errors)
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    found = None
    if kind == Decision.Kind.ADMINISTRATIVE_FINE:
        found = proposal(accident, subject=subject, previous_year_income=income, aggravated=aggravated)
    outside = bool(found and not (found.minimum <= money <= found.maximum))
    reason = _outside_range_reason(found, outside, outside_range_reason)
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


def _party(
    actor: User, accident: Accident, subject: str, organization: int | None, person_name: str, errors: dict
) -> tuple[Organization | None, str]:
    """Who the decision is about: the accident's enterprise, an organization in the actor's
    scope, or a person by name."""
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
    return org, person_name


def _outside_range_reason(found, outside: bool, reason: str) -> str:
    """A fine outside the statutory range stands only with its reason written down."""
    reason = bounded_text(reason, "outside_range_reason", max_length=NOTE_MAX)
    if outside and not reason:
        raise Invalid.field(
            "outside_range_reason",
            _("The amount is outside the range %(min)s–%(max)s yuan (%(basis)s); give the reason.")
            % {"min": found.minimum, "max": found.maximum, "basis": found.basis},
        )
    return reason
