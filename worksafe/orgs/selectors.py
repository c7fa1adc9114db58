from django.db.models import Q, QuerySet
from django.utils import timezone

from worksafe.regions.models import in_subtree

from .models import Organization, Role, User
from .scope import NOTHING


def organization_list(*, visible_to: User) -> QuerySet[Organization]:
    queryset = Organization.objects.select_related("region")
    user = visible_to
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.role == Role.ADMIN:
        return queryset
    org = user.organization
    if org is None:
        return queryset.none()
    own = Q(pk=org.pk)
    if user.role in (Role.OFFICE, Role.LEADER):
        return queryset.filter(in_subtree("region_id", org.region_id) | own)
    if user.role == Role.INSPECTOR:
        supervised = in_subtree("region_id", org.region_id) & Q(
            kind=Organization.Kind.ENTERPRISE, industry__in=org.industries or []
        )
        return queryset.filter(supervised | own)
    return queryset.filter(own)


def enterprise_list(*, visible_to: User) -> QuerySet[Organization]:
    return organization_list(visible_to=visible_to).filter(kind=Organization.Kind.ENTERPRISE)


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


def organization_search(*, visible_to: User, q: str = "", kind: str = "") -> QuerySet[Organization]:
    """The account pages' organization list: by name or credit code, optionally one kind."""
    queryset = organization_list(visible_to=visible_to)
    if kind:
        queryset = queryset.filter(kind=kind)
    text = (q or "").strip()
    if text:
        queryset = queryset.filter(Q(name__icontains=text) | Q(uscc__icontains=text))
    return queryset


def user_search(*, visible_to: User, q: str = "", role: str = "") -> QuerySet[User]:
    """The account pages' user list: by username, display name or organization name."""
    queryset = user_list(visible_to=visible_to)
    if role:
        queryset = queryset.filter(role=role)
    text = (q or "").strip()
    if text:
        queryset = queryset.filter(
            Q(username__icontains=text) | Q(name__icontains=text) | Q(organization__name__icontains=text)
        )
    return queryset


def live_tokens(user: User) -> QuerySet:
    """The user's API tokens that still open the API, newest first."""
    return user.api_tokens.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()).order_by("-pk")
