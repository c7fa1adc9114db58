"""Who sees what (design.md "Who uses it"), as query conditions every selector applies.

One function decides scope for every resource, so a new resource can only be as open as
the fields it names here.
"""

from dataclasses import dataclass, replace

from django.db.models import Q

from worksafe.regions.models import in_subtree, subtree_range

from .models import Role

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Area:
    """What a row must carry to be in a user's scope; None: no condition on that attribute.

    `condition` and `holds` are the same rule in two forms, a query and a predicate; a property
    test holds them equal for every role and fixture row."""

    region: str | None = None  # the root of a region subtree
    industries: tuple[str, ...] | None = None
    enterprise: int | None = None

    def condition(self, *, region: str | None, industry: str | None, enterprise: str | None) -> Q:
        """Rows in the area, for a model reaching region code, industry and enterprise by these
        lookups (None where it has no such field: a condition on it then admits nothing)."""
        condition = Q()
        if self.region is not None:
            if not region:
                return NOTHING
            condition &= in_subtree(region, self.region)
        if self.industries is not None:
            if not industry:
                return NOTHING
            condition &= Q(**{f"{industry}__in": list(self.industries)})
        if self.enterprise is not None:
            if not enterprise:
                return NOTHING
            condition &= Q(**{enterprise: self.enterprise})
        return condition

    def holds(self, *, region: str | None, industry: str | None, enterprise: int | None) -> bool:
        """Whether a row with these values (None: it has none) lies in the area."""
        if self.region is not None:
            if region is None:
                return False
            low, high = subtree_range(self.region)
            if not low <= region < high:
                return False
        if self.industries is not None and industry not in self.industries:
            return False
        return self.enterprise is None or enterprise == self.enterprise


def department_area(org) -> Area:
    """What a department supervises: its industries in its region subtree."""
    return Area(region=org.region_id, industries=tuple(org.industries or ()))


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
        return department_area(org)
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
    return area.condition(region=region, industry=industry, enterprise=enterprise)


def admits(user, *, region: str | None, industry: str | None, enterprise: int | None) -> bool:
    """scope_q as a predicate: whether a row with this region, industry and enterprise (None: the
    row has none) is one the user sees."""
    area = area_of(user)
    return area is not None and area.holds(region=region, industry=industry, enterprise=enterprise)


def may_place(user, *, region: str, industry: str | None = None, enterprise: int | None = None) -> bool:
    """Whether the user may put a record in `region` (and `industry`, `enterprise`, judged when
    given): who records something may only put it where they see it.

    An enterprise's scope is its enterprise; what it places also lies in the enterprise's own
    region and industry, so it cannot file a record into another area's statistics."""
    area = area_of(user)
    if area is None:
        return False
    if area.enterprise is not None:
        if enterprise is not None and enterprise != area.enterprise:
            return False
        area = Area(region=user.organization.region_id, industries=(user.organization.industry,))
    if industry is None:
        area = replace(area, industries=None)
    return area.holds(region=region, industry=industry, enterprise=None)


def sees_region(user, code: str) -> bool:
    """Whether a region code lies inside the user's area, whatever the industry (admins:
    everywhere; enterprises see no region as a whole)."""
    area = area_of(user)
    if area is None or area.enterprise is not None:
        return False
    return replace(area, industries=None).holds(region=code, industry=None, enterprise=None)
