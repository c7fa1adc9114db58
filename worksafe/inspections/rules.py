"""Who may do what with inspections and enforcement. Services enforce these; pages and the API
show actions from them, so the two never disagree."""

from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from worksafe.core.money import yuan
from worksafe.orgs.models import Organization, Role
from worksafe.regions.models import subtree_range

from .models import Enforcement, Inspection
from .penalties import FineRange

PLANNERS = (Role.ADMIN, Role.OFFICE, Role.INSPECTOR)


def may_plan(user) -> bool:
    return user.role in PLANNERS


def may_adapt_checklists(user) -> bool:
    return user.role in (Role.ADMIN, Role.OFFICE)


def on_team(user, inspection: Inspection) -> bool:
    if user.role == Role.ADMIN:
        return True
    return any(member.pk == user.pk for member in inspection.team.all())


def why_not_run(user, inspection: Inspection) -> str | None:
    """None when the user may start, fill in and finish the inspection."""
    if not on_team(user, inspection):
        return _("Only a member of the inspection team runs the inspection.")
    return None


def supervises(org: Organization, target: Organization) -> bool:
    """A department supervises an enterprise of an industry it regulates in its region subtree."""
    if org is None or org.kind != Organization.Kind.DEPARTMENT:
        return False
    low, high = subtree_range(org.region_id)
    return target.industry in (org.industries or []) and low <= target.region_id < high


def may_penalize(org: Organization, target: Organization) -> bool:
    return bool(org and org.can_penalize and supervises(org, target))


def why_not_enforce(user, target: Organization, kind: str) -> str | None:
    """Only a department that may penalize and supervises the target's industry in its area
    warns, fines, suspends or closes; any other department or office may only refer the case
    to one that can, or (a department in scope) order rectification."""
    if user.role in (Role.LEADER, Role.EXPERT, Role.ENTERPRISE_OFFICER):
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
    if action in ("report", "submit"):
        if user.organization_id == opinion.addressee_id:
            return None
        return _("Only the inspected organization reports progress on its opinion.")
    if user.organization_id == opinion.inspection.organizer_id or on_team(user, opinion.inspection):
        return None
    return _("Only the inspecting organization accepts or rejects the rectification.")
