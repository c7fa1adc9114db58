"""Who may see and record meetings (design.md "Meetings"; domain.md 9). Which meetings a
person sees is meetings.selectors.meeting_list."""

from worksafe.orgs.models import Role

# Regulators whose region a meeting can reach; enterprises and experts take no part.
VIEWERS = (Role.OFFICE, Role.LEADER, Role.INSPECTOR)


def may_view_meetings(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.role == Role.ADMIN or (user.role in VIEWERS and user.organization_id is not None)


def may_record_meetings(user) -> bool:
    """An office records its own region's meetings (and reads reports into drafts for them);
    an administrator any region's."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.role == Role.ADMIN or (user.role == Role.OFFICE and user.organization_id is not None)


def may_record_in(user, region: str) -> bool:
    return may_record_meetings(user) and (user.role == Role.ADMIN or user.organization.region_id == region)
