"""Who may do what with assessments. Services enforce these; pages and the API show actions from
them, so the two never disagree."""

from worksafe.orgs.models import Role
from worksafe.orgs.scope import sees_region

from .models import Period

MANAGERS = (Role.ADMIN, Role.OFFICE)


def may_view_assessments(user) -> bool:
    """Offices and leaders assess their area; departments read the published results."""
    return user.role in (Role.ADMIN, Role.OFFICE, Role.LEADER, Role.INSPECTOR)


def may_create_period(user) -> bool:
    return user.role in MANAGERS


def may_manage_period(user, period: Period) -> bool:
    """Only the office of the assessing region (or above it) changes an assessment: a district
    office reads the city's published period but does not reopen it."""
    return user.role == Role.ADMIN or (user.role in MANAGERS and sees_region(user, period.region_id))


def period_actions(user, period: Period) -> list[str]:
    """Transitions the status allows (Period.TRANSITIONS) and the user may take."""
    if not may_manage_period(user, period):
        return []
    return [a for a in Period.TRANSITIONS if period.allowed(a)]
