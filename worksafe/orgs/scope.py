"""Who sees what (design.md "Who uses it"), as query conditions every selector applies.

One function decides scope for every resource, so a new resource can only be as open as
the fields it names here.
"""

from django.db.models import Q

from worksafe.regions.models import in_subtree, subtree_range

from .models import Role

NOTHING = Q(pk__in=[])


def scope_q(
    user,
    *,
    region: str | None = "region_id",
    industry: str | None = "industry",
    enterprise: str | None = "enterprise_id",
) -> Q:
    """Rows the user may see, for a model whose region code, industry and enterprise are reached
    by the given lookups (None where the model has no such field: the condition then admits
    nothing for roles that depend on it)."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.role == Role.ADMIN:
        return Q()
    org = user.organization
    if org is None:
        return NOTHING
    if user.role in (Role.OFFICE, Role.LEADER):
        return in_subtree(region, org.region_id) if region else NOTHING
    if user.role == Role.INSPECTOR:
        if not region or not industry:
            return NOTHING
        return in_subtree(region, org.region_id) & Q(**{f"{industry}__in": org.industries or []})
    if user.role == Role.ENTERPRISE_OFFICER:
        return Q(**{enterprise: org.pk}) if enterprise else NOTHING
    return NOTHING  # experts see only what an app assigns to them


def sees_region(user, code: str) -> bool:
    """Whether a region code lies inside the user's area (admins: everywhere)."""
    if user.role == Role.ADMIN:
        return True
    org = user.organization
    if org is None or user.role not in (Role.OFFICE, Role.LEADER, Role.INSPECTOR):
        return False
    low, high = subtree_range(org.region_id)
    return low <= code < high
