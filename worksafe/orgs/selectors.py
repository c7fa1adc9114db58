from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from worksafe.core.errors import one_or_not_found
from worksafe.core.filters import contains_any, matching
from worksafe.regions.models import Region, ancestor_codes, in_subtree

from .models import Organization, Role, User
from .scope import NOTHING, scope_q, sees_region


def organization_list(*, visible_to: User) -> QuerySet[Organization]:
    """The organizations in the user's scope (an enterprise is its own), and the user's own."""
    user = visible_to
    condition = scope_q(user, region="region_id", industry="industry", enterprise="pk")
    if user.is_authenticated and user.is_active and user.organization_id:
        condition |= Q(pk=user.organization_id)
    return Organization.objects.select_related("region").filter(condition)


def enterprise_list(*, visible_to: User) -> QuerySet[Organization]:
    return organization_list(visible_to=visible_to).filter(kind=Organization.Kind.ENTERPRISE)


def supervising_departments(*, region: str, industry: str) -> list[Organization]:
    """The departments that supervise `industry` for `region`: those of the region itself or,
    when it has none for that industry, of the nearest region above that has (domain.md 9, the
    supervision matrix)."""
    chain = ancestor_codes(region)
    found = [
        org
        for org in Organization.objects.filter(kind=Organization.Kind.DEPARTMENT, region_id__in=chain)
        if industry in (org.industries or ())
    ]
    if not found:
        return []
    nearest = min(chain.index(org.region_id) for org in found)
    return [org for org in found if chain.index(org.region_id) == nearest]


def user_list(*, visible_to: User) -> QuerySet[User]:
    queryset = User.objects.select_related("organization")
    user = visible_to
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.role == Role.ADMIN:
        return queryset
    if user.organization_id is None:
        return queryset.filter(NOTHING)
    if user.role in (Role.OFFICE, Role.LEADER):
        return queryset.filter(in_subtree("organization__region_id", user.organization.region_id))
    return queryset.filter(organization_id=user.organization_id)


def expert_list(*, visible_to: User) -> QuerySet[User]:
    """Experts anyone who assigns reviews may pick from: experts are a shared pool."""
    return User.objects.filter(role=Role.EXPERT, is_active=True).select_related("organization")


def organization_get(*, visible_to: User, pk: int) -> Organization:
    """One organization the user sees; NotFound otherwise (scope must not leak existence)."""
    return one_or_not_found(organization_list(visible_to=visible_to), pk)


@dataclass(frozen=True)
class OrganizationFilters:
    kind: str | None = None
    region: str | None = None  # the region and everything below it
    industry: str | None = None
    q: str | None = None  # name or unified social credit code


def organization_search(*, visible_to: User, filters: OrganizationFilters) -> QuerySet[Organization]:
    """The organization lists of the API, the directory and the account pages."""
    return matching(
        organization_list(visible_to=visible_to),
        filters,
        {
            "kind": "kind",
            "region": lambda code: in_subtree("region_id", code),
            "industry": "industry",
            "q": contains_any("name", "uscc"),
        },
    )


def user_get(*, visible_to: User, pk: int) -> User:
    """One account the user sees; NotFound otherwise."""
    return one_or_not_found(user_list(visible_to=visible_to), pk)


def user_search(*, visible_to: User, q: str = "", role: str = "") -> QuerySet[User]:
    """The account pages' user list: by username, display name or organization name."""
    return matching(
        user_list(visible_to=visible_to),
        {"role": role, "q": q},
        {"role": "role", "q": contains_any("username", "name", "organization__name")},
    )


def live_tokens(user: User) -> QuerySet:
    """The user's API tokens that still open the API, newest first."""
    return user.api_tokens.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()).order_by("-pk")


PICKER_LIMIT = 20


def enterprise_search(*, visible_to: User, text: str, limit: int = PICKER_LIMIT) -> list[Organization]:
    """At most `limit` enterprises of the user's scope whose name or unified social credit code
    starts with `text`. Both are prefix conditions on top of the scope's region range, so a
    province's enterprises are never scanned for a substring."""
    text = text.strip()
    if not text:
        return []
    code = text.upper()
    matches = Q(name__startswith=text) | Q(uscc__gte=code, uscc__lt=code + "\uffff")
    return list(enterprise_list(visible_to=visible_to).filter(matches).order_by("name", "pk")[:limit])


def region_choices(*, visible_to: User, parent: str | None = None) -> list[Region] | None:
    """The regions a picker offers: the user's own region (or, for an admin, the provinces),
    or the children of `parent`, each marked with `has_children`. None when `parent` lies
    outside the user's area (the page answers 404); roles without an area get nothing."""
    user = visible_to
    regions = Region.objects.annotate(has_children=Exists(Region.objects.filter(parent=OuterRef("pk"))))
    if parent is not None:
        if not sees_region(user, parent) or not Region.objects.filter(pk=parent).exists():
            return None
        return list(regions.filter(parent_id=parent).order_by("code"))
    if user.role == Role.ADMIN:
        return list(regions.filter(parent__isnull=True).order_by("code"))
    if user.role in (Role.OFFICE, Role.LEADER, Role.INSPECTOR) and user.organization_id:
        return list(regions.filter(pk=user.organization.region_id))
    return []
