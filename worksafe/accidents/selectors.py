"""Scoped reads of accidents. Every page and endpoint reads accidents through here."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from worksafe.audit.models import Event
from worksafe.hazards.selectors import hazard_list
from worksafe.inspections.selectors import enforcement_list, inspection_list
from worksafe.orgs.scope import scope_q

from .models import Accident, Decision, ReportDuty

HISTORY_DAYS = 365  # "the preceding period" shown with a case: twelve months before the accident


def accident_list(*, visible_to) -> QuerySet[Accident]:
    return Accident.objects.filter(scope_q(visible_to)).select_related("region", "enterprise")


def accident_detail_list(*, visible_to) -> QuerySet[Accident]:
    """accident_list with what the case file shows loaded alongside."""
    return accident_list(visible_to=visible_to).select_related("investigation")


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
        return {"hazards": [], "inspections": [], "enforcement": [], "days": days}
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
    return {"hazards": hazards, "inspections": inspections, "enforcement": enforcement, "days": days}
