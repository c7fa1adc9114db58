"""Who may do what to a hidden danger the user can already see (design.md "Hazard lifecycle").

The one place these rules live: services enforce them, pages and the API list the actions
from them, so the two can never disagree.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from worksafe.orgs.models import Role
from worksafe.orgs.scope import NOTHING

from .models import Hazard

SUPERVISORS = (Role.ADMIN, Role.OFFICE, Role.INSPECTOR)


def _own_self_found_general(user, hazard: Hazard) -> bool:
    return (
        user.role == Role.ENTERPRISE_OFFICER
        and hazard.enterprise_id == user.organization_id
        and hazard.source == Hazard.Source.SELF_CHECK
        and hazard.level == Hazard.Level.GENERAL
    )


def why_not(user, hazard: Hazard, action: str) -> str | None:
    """None when `user` may take `action` on a `hazard` in its scope; else the reason (403)."""
    role = user.role
    if role == Role.LEADER:
        return _("Leaders have read-only access.")
    if action == Hazard.Action.ASSIGN:
        if role in SUPERVISORS or _own_self_found_general(user, hazard):
            return None
        return _(
            "Only an inspector or office in scope assigns this hidden danger; an enterprise assigns only "
            "general hidden dangers it found itself."
        )
    if action == Hazard.Action.SUBMIT:
        if role in SUPERVISORS or (
            role == Role.ENTERPRISE_OFFICER and hazard.enterprise_id == user.organization_id
        ):
            return None
        return _("Only the responsible enterprise or its supervisors submit the rectification.")
    if action in (Hazard.Action.ACCEPT, Hazard.Action.REJECT):
        if role in SUPERVISORS:
            return None
        if role == Role.EXPERT and hazard.expert_id == user.pk:
            return None
        if _own_self_found_general(user, hazard):
            return None
        if hazard.level == Hazard.Level.MAJOR:
            return _(
                "A major hidden danger is verified only by a department, an office or the assigned expert."
            )
        return _("A hidden danger found by others is verified by the department or office in scope.")
    if action == Hazard.Action.CANCEL:
        if role in SUPERVISORS:
            return None
        if (
            role == Role.ENTERPRISE_OFFICER
            and hazard.enterprise_id == user.organization_id
            and hazard.source == Hazard.Source.SELF_CHECK
            and hazard.status == Hazard.Status.REPORTED
        ):
            return None
        return _("Only an inspector or office in scope cancels this hidden danger.")
    return _("Unknown action.")


def acceptable_q(user) -> Q:
    """why_not(user, hazard, "accept") as a query over hazards already in the user's scope, for
    lists ("awaiting my acceptance"); a test holds the two to the same answer."""
    if user.role in SUPERVISORS:
        return Q()
    if user.role == Role.EXPERT:
        return Q(expert_id=user.pk)
    if user.role == Role.ENTERPRISE_OFFICER:
        return Q(
            enterprise_id=user.organization_id,
            source=Hazard.Source.SELF_CHECK,
            level=Hazard.Level.GENERAL,
        )
    return NOTHING


def may_rectify(user) -> bool:
    """The enterprise rectifies what is assigned to it; its supervisors only follow it."""
    return user.role == Role.ENTERPRISE_OFFICER


def may_verify(user) -> bool:
    """Whether the role accepts or rejects any hidden danger at all (which ones: acceptable_q)."""
    return user.role != Role.LEADER


def reviews_assigned_only(user) -> bool:
    """An expert sees and reviews only the hidden dangers assigned to it."""
    return user.role == Role.EXPERT


def allowed_actions(user, hazard: Hazard) -> list[str]:
    """Actions the current status allows and the user may take, in lifecycle order."""
    return [a for a in Hazard.TRANSITIONS if hazard.allowed(a) and why_not(user, hazard, a) is None]


def may_edit_plan(user, hazard: Hazard) -> bool:
    if not hazard.is_open or hazard.status == Hazard.Status.PENDING_ACCEPTANCE:
        return False
    return user.role in SUPERVISORS or (
        user.role == Role.ENTERPRISE_OFFICER and hazard.enterprise_id == user.organization_id
    )


def may_add_evidence(user, hazard: Hazard) -> bool:
    return hazard.is_open and (
        user.role in SUPERVISORS
        or (user.role == Role.ENTERPRISE_OFFICER and hazard.enterprise_id == user.organization_id)
    )


def may_report(user) -> bool:
    return user.role in SUPERVISORS or user.role == Role.ENTERPRISE_OFFICER


def may_act_in_bulk(user) -> bool:
    """Whether the register offers batch actions; each hazard is still judged by why_not."""
    return user.role != Role.LEADER
