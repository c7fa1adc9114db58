"""Who sees what (design.md "Who uses it"), as query conditions every selector applies.

One function decides scope for every resource, so a new resource can only be as open as
the fields it names here.
"""

from dataclasses import dataclass

from django.db.models import Q

from worksafe.regions.models import in_subtree, subtree_range

from .models import Role

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Area:
    """What a row must carry to be in a user's scope; None: no condition on that attribute."""

    region: str | None = None  # the root of a region subtree
    industries: tuple[str, ...] | None = None
    enterprise: int | None = None


def area_of(user) -> Area | None:
    """The user's scope, or None when it holds nothing."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role == Role.ADMIN:
        return Area()
    org = user.organization
    if org is None:
        return None
    if user.role in (Role.OFFICE, Role.LEADER):
        return Area(region=org.region_id)
    if user.role == Role.INSPECTOR:
        return Area(region=org.region_id, industries=tuple(org.industries or ()))
    if user.role == Role.ENTERPRISE_OFFICER:
        return Area(enterprise=org.pk)
    return None  # experts see only what an app assigns to them


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
    area = area_of(user)
    if area is None:
        return NOTHING
    condition = Q()
    if area.region is not None:
        if not region:
            return NOTHING
        condition &= in_subtree(region, area.region)
    if area.industries is not None:
        if not industry:
            return NOTHING
        condition &= Q(**{f"{industry}__in": list(area.industries)})
    if area.enterprise is not None:
        if not enterprise:
            return NOTHING
        condition &= Q(**{enterprise: area.enterprise})
    return condition


def _in_region(code: str, root: str) -> bool:
    low, high = subtree_range(root)
    return low <= code < high


def admits(user, *, region: str, industry: str | None = None, enterprise: int | None = None) -> bool:
    """Whether a row placed in `region` (and `industry`, `enterprise`, judged when given) lies
    in the user's scope: who records something may only put it where they see it.

    An enterprise's scope is its enterprise; what it places also lies in the enterprise's own
    region and industry, so it cannot file a record into another area's statistics."""
    area = area_of(user)
    if area is None:
        return False
    if area.enterprise is not None:
        if enterprise is not None and enterprise != area.enterprise:
            return False
        area = Area(region=user.organization.region_id, industries=(user.organization.industry,))
    if area.region is not None and not _in_region(region, area.region):
        return False
    return industry is None or area.industries is None or industry in area.industries


def sees_region(user, code: str) -> bool:
    """Whether a region code lies inside the user's area (admins: everywhere)."""
    area = area_of(user)
    if area is None or area.enterprise is not None:
        return False
    return area.region is None or _in_region(code, area.region)
