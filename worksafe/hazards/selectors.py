"""Scoped reads of the register. Every page and endpoint reads hazards through here."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from worksafe.audit.models import Event
from worksafe.orgs.models import Role
from worksafe.orgs.scope import scope_q
from worksafe.regions.models import in_subtree
from worksafe.scale.models import HazardTally

from .models import Hazard, overdue_q

# Roles whose scope is a region subtree (and maybe industries): their counts come from the
# maintained tally, which has exactly those dimensions. Enterprise officers and experts see a
# handful of rows and are counted directly.
TALLY_ROLES = (Role.ADMIN, Role.OFFICE, Role.LEADER, Role.INSPECTOR)


def hazard_list(*, visible_to) -> QuerySet[Hazard]:
    user = visible_to
    condition = scope_q(user)
    if user.is_authenticated and user.role == Role.EXPERT:
        condition = Q(expert_id=user.pk)
    return Hazard.objects.filter(condition).select_related("enterprise", "region")


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


def hazard_search(*, visible_to, filters: HazardFilters, today: date | None = None) -> QuerySet[Hazard]:
    today = today or timezone.localdate()
    queryset = hazard_list(visible_to=visible_to)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.level:
        queryset = queryset.filter(level=filters.level)
    if filters.region:
        queryset = queryset.filter(in_subtree("region_id", filters.region))
    if filters.industry:
        queryset = queryset.filter(industry=filters.industry)
    if filters.enterprise:
        queryset = queryset.filter(enterprise_id=filters.enterprise)
    if filters.source:
        queryset = queryset.filter(source=filters.source)
    if filters.overdue is True:
        queryset = queryset.filter(overdue_q(today))
    elif filters.overdue is False:
        queryset = queryset.exclude(overdue_q(today))
    if filters.q:
        text = filters.q.strip()
        queryset = queryset.filter(
            Q(title__icontains=text)
            | Q(description__icontains=text)
            | Q(number__icontains=text)
            | Q(location__icontains=text)
            | Q(enterprise__name__icontains=text)
        )
    return queryset


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
    condition = scope_q(user, enterprise=None)
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
    due-date index."""
    user = visible_to
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
    return {"total": sum(by_status.values()), "by_status": by_status, "by_level": by_level, "overdue": overdue}


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
            _tally_condition(user) & open_q & Q(due_date__lte=today + timedelta(days=7))
        ).aggregate(
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            due_this_week=Count("pk", filter=Q(due_date__gte=today)),
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
            due_this_week=Count(
                "pk", filter=open_q & Q(due_date__gte=today, due_date__lte=today + timedelta(days=7))
            ),
            pending_acceptance=Count("pk", filter=Q(status=Hazard.Status.PENDING_ACCEPTANCE)),
        )
    )


def hazard_events(hazard: Hazard) -> QuerySet[Event]:
    return Event.objects.for_subject("hazard", hazard.pk)
