"""Scoped reads of the register. Every page and endpoint reads hazards through here."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from worksafe.audit.models import Event
from worksafe.core.errors import NotFound, one_or_not_found
from worksafe.core.filters import contains_any, matching
from worksafe.orgs.models import Role
from worksafe.orgs.scope import NOTHING, scope_q, sees_region
from worksafe.regions.models import in_subtree
from worksafe.regions.selectors import region_get

from . import rules
from .models import Hazard, HazardTally, overdue_q

# Roles whose scope is a region subtree (and maybe industries): their counts come from the
# maintained tally, which has exactly those dimensions. Enterprise officers and experts see a
# handful of rows and are counted directly.
TALLY_ROLES = (Role.ADMIN, Role.OFFICE, Role.LEADER, Role.INSPECTOR)


# "Due within the week": the home tile and the list it links to.
DUE_SOON_DAYS = 7


def hazard_scope_q(user, *, enterprise: str | None = "enterprise_id", expert: str | None = "expert_id") -> Q:
    """The hazards (or tally rows, which have no enterprise or expert: None) the user sees: its
    scope, or for an expert the hazards assigned to it."""
    if user.is_authenticated and user.role == Role.EXPERT:
        return Q(**{expert: user.pk}) if expert else NOTHING
    return scope_q(user, enterprise=enterprise)


def hazard_list(*, visible_to) -> QuerySet[Hazard]:
    return Hazard.objects.filter(hazard_scope_q(visible_to)).select_related("enterprise", "region")


def hazard_get(*, visible_to, pk: int) -> Hazard:
    """One hazard the user sees; NotFound otherwise (scope must not leak existence)."""
    return one_or_not_found(hazard_list(visible_to=visible_to), pk)


def due_soon_q(today: date, days: int = DUE_SOON_DAYS) -> Q:
    """Open hazards due between today and `days` days ahead."""
    return Q(status__in=Hazard.OPEN_STATUSES, due_date__gte=today, due_date__lte=today + timedelta(days=days))


@dataclass(frozen=True)
class HazardFilters:
    status: str | None = None
    level: str | None = None
    region: str | None = None
    industry: str | None = None
    enterprise: int | None = None
    source: str | None = None
    overdue: bool | None = None
    q: str | None = None
    open: bool = False
    due_within_days: int | None = None  # open and due within so many days from today

    def tally_only(self) -> bool:
        """True when the maintained tally (region, industry, status, level) can count these."""
        return not (
            self.enterprise or self.source or self.overdue is not None or self.q or self.due_within_days
        )


def hazard_search(*, visible_to, filters: HazardFilters, today: date | None = None) -> QuerySet[Hazard]:
    today = today or timezone.localdate()
    queryset = matching(
        hazard_list(visible_to=visible_to),
        filters,
        {
            "status": "status",
            "level": "level",
            "region": lambda code: in_subtree("region_id", code),
            "industry": "industry",
            "enterprise": "enterprise_id",
            "source": "source",
            "q": contains_any("title", "description", "number", "location", "enterprise__name"),
        },
    )
    if filters.open:
        queryset = queryset.filter(status__in=Hazard.OPEN_STATUSES)
    if filters.due_within_days is not None:
        queryset = queryset.filter(due_soon_q(today, filters.due_within_days))
    if filters.overdue is True:
        queryset = queryset.filter(overdue_q(today))
    elif filters.overdue is False:
        queryset = queryset.exclude(overdue_q(today))
    return queryset


COUNT_CAP = 10_000


def hazard_search_count(*, visible_to, filters: HazardFilters, today: date | None = None) -> tuple[int, bool]:
    """How many hazards hazard_search finds, and whether that number is exact. The region,
    industry, status and level filters of a region-wide role are summed from the maintained
    tally (a province in a few hundred rows); any other search is counted up to COUNT_CAP,
    beyond which the list says "more than" instead of scanning the whole register."""
    user = visible_to
    if _uses_tally(user) and filters.tally_only():
        condition = _tally_condition(user, region=filters.region, industry=filters.industry)
        if filters.status:
            condition &= Q(status=filters.status)
        if filters.open:
            condition &= Q(status__in=Hazard.OPEN_STATUSES)
        if filters.level:
            condition &= Q(level=filters.level)
        total = HazardTally.objects.filter(condition).aggregate(n=Sum("n", default=0))["n"]
        return total, True
    found = hazard_search(visible_to=user, filters=filters, today=today).order_by()[: COUNT_CAP + 1].count()
    return min(found, COUNT_CAP), found <= COUNT_CAP


def hazard_stats(queryset: QuerySet[Hazard], *, today: date | None = None) -> dict:
    """Totals by status and level and the overdue count, in one aggregate query."""
    today = today or timezone.localdate()
    aggregates = {"total": Count("*"), "overdue": Count("pk", filter=overdue_q(today))}
    for status in Hazard.Status.values:
        aggregates[f"s_{status}"] = Count("pk", filter=Q(status=status))
    for level in Hazard.Level.values:
        aggregates[f"l_{level}"] = Count("pk", filter=Q(level=level))
    row = queryset.order_by().aggregate(**aggregates)
    return {
        "total": row["total"],
        "by_status": {s: row[f"s_{s}"] for s in Hazard.Status.values},
        "by_level": {lv: row[f"l_{lv}"] for lv in Hazard.Level.values},
        "overdue": row["overdue"],
    }


def _uses_tally(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in TALLY_ROLES


def _tally_condition(user, *, region: str | None = None, industry: str | None = None) -> Q:
    condition = hazard_scope_q(user, enterprise=None, expert=None)
    if region:
        condition &= in_subtree("region_id", region)
    if industry:
        condition &= Q(industry=industry)
    return condition


def hazard_region_stats(
    *, visible_to, region: str, industry: str | None = None, today: date | None = None
) -> dict:
    """hazard_stats of the hazards the user sees in `region`'s subtree (and `industry`), read
    from the maintained tally where the scope allows: a few hundred counter rows instead of a
    scan of the register. Overdue depends on today, so it is counted from the open-hazard
    due-date index. A region that does not exist or lies outside a region-wide role's area is
    NotFound."""
    user = visible_to
    if region_get(region) is None or (_uses_tally(user) and not sees_region(user, region)):
        raise NotFound()
    if not _uses_tally(user):
        queryset = hazard_list(visible_to=user).filter(in_subtree("region_id", region))
        if industry:
            queryset = queryset.filter(industry=industry)
        return hazard_stats(queryset, today=today)
    today = today or timezone.localdate()
    condition = _tally_condition(user, region=region, industry=industry)
    by_status = dict.fromkeys(Hazard.Status.values, 0)
    by_level = dict.fromkeys(Hazard.Level.values, 0)
    rows = HazardTally.objects.filter(condition).values_list("status", "level").annotate(n=Sum("n"))
    for status, level, n in rows.order_by():
        by_status[status] = by_status.get(status, 0) + n
        by_level[level] = by_level.get(level, 0) + n
    overdue = Hazard.objects.filter(condition & overdue_q(today)).count()
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "by_level": by_level,
        "overdue": overdue,
    }


def home_counts(*, visible_to, today: date | None = None) -> dict:
    """What matters on the home page: open, overdue, open major, due within the week."""
    today = today or timezone.localdate()
    open_q = Q(status__in=Hazard.OPEN_STATUSES)
    user = visible_to
    if _uses_tally(user):
        tally = HazardTally.objects.filter(_tally_condition(user)).aggregate(
            open=Sum("n", filter=open_q, default=0),
            major=Sum("n", filter=open_q & Q(level=Hazard.Level.MAJOR), default=0),
            pending_acceptance=Sum("n", filter=Q(status=Hazard.Status.PENDING_ACCEPTANCE), default=0),
        )
        # Both date conditions read only open hazards due by next week: the partial index.
        dated = Hazard.objects.filter(
            _tally_condition(user) & open_q & Q(due_date__lte=today + timedelta(days=DUE_SOON_DAYS))
        ).aggregate(
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            due_this_week=Count("pk", filter=due_soon_q(today)),
        )
        return {
            "open": tally["open"],
            "overdue": dated["overdue"],
            "major": tally["major"],
            "due_this_week": dated["due_this_week"],
            "pending_acceptance": tally["pending_acceptance"],
        }
    return (
        hazard_list(visible_to=visible_to)
        .order_by()
        .aggregate(
            open=Count("pk", filter=open_q),
            overdue=Count("pk", filter=overdue_q(today)),
            major=Count("pk", filter=open_q & Q(level=Hazard.Level.MAJOR)),
            due_this_week=Count("pk", filter=due_soon_q(today)),
            pending_acceptance=Count("pk", filter=Q(status=Hazard.Status.PENDING_ACCEPTANCE)),
        )
    )


def awaiting_acceptance(*, visible_to) -> QuerySet[Hazard]:
    """Hazards submitted for acceptance that the user may accept, soonest due first."""
    return (
        hazard_list(visible_to=visible_to)
        .filter(status=Hazard.Status.PENDING_ACCEPTANCE)
        .filter(rules.acceptable_q(visible_to))
        .order_by("due_date", "pk")
    )


def to_rectify(*, visible_to) -> QuerySet[Hazard]:
    """Hazards assigned to the user's enterprise for rectification, soonest due first."""
    user = visible_to
    if not rules.may_rectify(user):
        return Hazard.objects.none()
    return (
        hazard_list(visible_to=user)
        .filter(status=Hazard.Status.RECTIFYING, enterprise_id=user.organization_id)
        .order_by("due_date", "pk")
    )


def hazard_events(hazard: Hazard) -> QuerySet[Event]:
    return Event.objects.for_subject(hazard)
