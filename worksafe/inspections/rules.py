"""Who may do what with inspections and enforcement. Services enforce these; pages and the API
show actions from them, so the two never disagree."""

from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from worksafe.core.money import yuan
from worksafe.orgs.models import Organization, Role
from worksafe.orgs.scope import department_area

from .models import ChecklistTemplate, Enforcement, Inspection, Opinion
from .penalties import FineRange

PLANNERS = (Role.ADMIN, Role.OFFICE, Role.INSPECTOR)
# The regulator's side: who reads enforcement and the inspection activity of departments.
REGULATORS = (Role.ADMIN, Role.OFFICE, Role.LEADER, Role.INSPECTOR)


def may_view_inspections(user) -> bool:
    """Experts review hidden dangers only; every other role has inspections in its scope (an
    enterprise, those of its own enterprise)."""
    return user.role != Role.EXPERT


def may_view_enforcement(user) -> bool:
    return user.role in REGULATORS


def may_view_opinions(user) -> bool:
    """Opinions come from the supervision of governments: the inspecting and inspected offices
    and departments read them, enterprises have none."""
    return user.role in REGULATORS


def may_view_activity(user) -> bool:
    return user.role in REGULATORS


def may_plan(user) -> bool:
    return user.role in PLANNERS


def may_enforce(user) -> bool:
    """Whether the role takes enforcement action at all; which kinds against which enterprise
    is why_not_enforce."""
    return user.role in PLANNERS


def may_adapt_checklists(user) -> bool:
    return user.role in (Role.ADMIN, Role.OFFICE)


def may_edit_checklist(user, template: ChecklistTemplate) -> bool:
    """An office edits its own organization's copies; an administrator any template, shipped ones
    included. Whether the version is already in use is checked by the service (422)."""
    if not may_adapt_checklists(user):
        return False
    return user.role == Role.ADMIN or (
        template.owner_id is not None and template.owner_id == user.organization_id
    )


def on_team(user, inspection: Inspection) -> bool:
    if user.role == Role.ADMIN:
        return True
    return any(member.pk == user.pk for member in inspection.team.all())


def why_not_run(user, inspection: Inspection) -> str | None:
    """None when the user may start, fill in and finish the inspection."""
    if not on_team(user, inspection):
        return _("Only a member of the inspection team runs the inspection.")
    return None


def inspection_actions(user, inspection: Inspection) -> list[str]:
    """What the status allows (Inspection.TRANSITIONS) and the user may do, in table order."""
    if why_not_run(user, inspection) is not None:
        return []
    return [a for a in Inspection.TRANSITIONS if inspection.allowed(a)]


def supervises(org: Organization, target: Organization) -> bool:
    """A department supervises an enterprise of an industry it regulates in its region subtree."""
    if org is None or org.kind != Organization.Kind.DEPARTMENT:
        return False
    return department_area(org).holds(region=target.region_id, industry=target.industry, enterprise=None)


def may_penalize(org: Organization, target: Organization) -> bool:
    return bool(org and org.can_penalize and supervises(org, target))


def why_not_enforce(user, target: Organization, kind: str) -> str | None:
    """Only a department that may penalize and supervises the target's industry in its area
    warns, fines, suspends or closes; any other department or office may only refer the case
    to one that can, or (a department in scope) order rectification."""
    if not may_enforce(user):
        return _("Your role does not take enforcement action.")
    if user.role == Role.ADMIN:
        return None
    org = user.organization
    if kind in Enforcement.PENALTIES:
        if may_penalize(org, target):
            return None
        return _(
            "Only a department that may penalize and supervises this enterprise's industry may do this; "
            "refer the case to one instead."
        )
    if kind == Enforcement.Kind.ORDER_RECTIFY:
        if supervises(org, target):
            return None
        return _(
            "Only a department supervising this enterprise orders rectification; refer the case instead."
        )
    return None  # referral: any office or department in scope


def may_complete_enforcement(user, action: Enforcement) -> bool:
    if user.role == Role.ADMIN:
        return True
    return may_enforce(user) and user.organization_id == action.issued_by_id


def is_referred_to(user, referral: Enforcement) -> bool:
    """The department a referral was sent to (or an administrator) acts on it."""
    return user.role == Role.ADMIN or referral.referred_to_id == user.organization_id


def may_act_on_referral(user, action: Enforcement) -> bool:
    return (
        may_enforce(user)
        and action.kind == Enforcement.Kind.REFERRAL
        and action.status == Enforcement.Status.PENDING
        and is_referred_to(user, action)
    )


def may_receive_referral(org: Organization, target: Organization) -> bool:
    return may_penalize(org, target)


def why_not_fine(amount: Decimal, article: FineRange | None) -> str | None:
    """None when the amount is lawful: inside the range of the chosen article (domain.md §5),
    or, when no listed article is given, not above the configured cap."""
    if amount <= 0:
        return _("A fine is more than zero yuan.")
    if article is None:
        cap = Decimal(settings.WORKSAFE_FINE_CAP_YUAN)
        if amount > cap:
            return _(
                "Without a listed article a fine is at most %(max)s; choose the article to apply its range."
            ) % {"max": yuan(cap)}
        return None
    if article.minimum is None and amount > article.maximum:
        return _("Under %(basis)s a fine is at most %(max)s.") % {
            "basis": article.citation,
            "max": yuan(article.maximum),
        }
    if article.minimum is not None and not article.minimum <= amount <= article.maximum:
        return _("Under %(basis)s a fine is from %(min)s to %(max)s.") % {
            "basis": article.citation,
            "min": yuan(article.minimum),
            "max": yuan(article.maximum),
        }
    return None


def may_act_on_opinion(user, opinion, action: str) -> str | None:
    """The inspected government reports progress and submits; the inspecting side accepts or
    rejects."""
    if user.role in (Role.LEADER, Role.EXPERT, Role.ENTERPRISE_OFFICER):
        return _("Your role does not act on rectification opinions.")
    if user.role == Role.ADMIN:
        return None
    if action in (Opinion.Action.REPORT, Opinion.Action.SUBMIT):
        if user.organization_id == opinion.addressee_id:
            return None
        return _("Only the inspected organization reports progress on its opinion.")
    if user.organization_id == opinion.inspection.organizer_id or on_team(user, opinion.inspection):
        return None
    return _("Only the inspecting organization accepts or rejects the rectification.")


def opinion_actions(user, opinion: Opinion) -> list[str]:
    """What the status allows (Opinion.TRANSITIONS) and the user may do, in table order."""
    return [
        a for a in Opinion.TRANSITIONS if opinion.allowed(a) and may_act_on_opinion(user, opinion, a) is None
    ]
