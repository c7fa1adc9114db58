"""Scoped reads of accidents. Every page and endpoint reads accidents through here."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from worksafe.audit.models import Event
from worksafe.core.errors import one_or_not_found
from worksafe.core.filters import matching
from worksafe.hazards.models import Hazard
from worksafe.hazards.selectors import hazard_list
from worksafe.inspections.selectors import enforcement_list, inspection_list
from worksafe.orgs.scope import scope_q
from worksafe.regions.models import in_subtree

from .models import Accident, Decision, ReportDuty, Track

HISTORY_DAYS = 365  # "the preceding period" shown with a case: twelve months before the accident


def accident_list(*, visible_to) -> QuerySet[Accident]:
    return Accident.objects.filter(scope_q(visible_to)).select_related("region", "enterprise")


def accident_detail_list(*, visible_to) -> QuerySet[Accident]:
    """accident_list with what the case file shows loaded alongside."""
    return accident_list(visible_to=visible_to).select_related("investigation")


def accident_get(*, visible_to, pk: int) -> Accident:
    """One accident the user sees, with its investigation; NotFound otherwise."""
    return one_or_not_found(accident_detail_list(visible_to=visible_to), pk)


@dataclass(frozen=True)
class AccidentFilters:
    grade: str | None = None
    region: str | None = None  # the region and everything below it
    industry: str | None = None
    enterprise: int | None = None
    occurred_from: date | None = None  # local days, inclusive
    occurred_to: date | None = None


def accident_search(*, visible_to, filters: AccidentFilters) -> QuerySet[Accident]:
    """The accident lists of the API and the pages."""
    return matching(
        accident_list(visible_to=visible_to),
        filters,
        {
            "grade": "grade",
            "region": lambda code: in_subtree("region_id", code),
            "industry": "industry",
            "enterprise": "enterprise_id",
            "occurred_from": "occurred_at__date__gte",
            "occurred_to": "occurred_at__date__lte",
        },
    )


def track_get(accident: Accident, kind: str) -> Track | None:
    return accident.investigation.tracks.filter(kind=kind).first()


def accident_events(accident: Accident) -> QuerySet[Event]:
    return Event.objects.for_subject(accident)


def report_duties(accident: Accident) -> QuerySet[ReportDuty]:
    return accident.report_duties.select_related("reported_by").order_by("due_at", "id")


def decisions(accident: Accident) -> QuerySet[Decision]:
    return accident.decisions.select_related("organization", "decided_by").order_by("id")


def accident_history(accident: Accident, *, visible_to, days: int = HISTORY_DAYS) -> dict:
    """What was known about the accident's enterprise before it happened ("was it known? was it
    rectified?"): its hidden dangers, inspections and enforcement in the preceding period, as the
    viewer may see them."""
    if accident.enterprise_id is None:
        return _history([], [], [], days)
    since = accident.occurred_at - timedelta(days=days)
    window = {"created_at__gte": since, "created_at__lte": accident.occurred_at}
    hazards = list(
        hazard_list(visible_to=visible_to)
        .filter(enterprise_id=accident.enterprise_id, **window)
        .order_by("-created_at")[:200]
    )
    inspections = list(
        inspection_list(visible_to=visible_to)
        .filter(
            target_id=accident.enterprise_id,
            planned_on__gte=timezone.localtime(since).date(),
            planned_on__lte=accident.occurred_on,
        )
        .order_by("-planned_on", "-pk")[:200]
    )
    enforcement = list(
        enforcement_list(visible_to=visible_to)
        .filter(target_id=accident.enterprise_id, **window)
        .order_by("-created_at")[:200]
    )
    return _history(hazards, inspections, enforcement, days)


def _history(hazards: list, inspections: list, enforcement: list, days: int) -> dict:
    """The history with its counts: every hidden danger was known, a closed one was rectified
    (accepted after rectification), one not yet closed or cancelled is still open."""
    return {
        "hazards": hazards,
        "inspections": inspections,
        "enforcement": enforcement,
        "days": days,
        "known": len(hazards),
        "rectified": sum(1 for h in hazards if h.status == Hazard.Status.CLOSED),
        "open": sum(1 for h in hazards if h.is_open),
    }
