"""Scoped reads of assessments, and the figures an assessment takes from the other modules
(read only through their selectors, in the scope of the person computing)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from worksafe.accidents.models import Accident
from worksafe.accidents.selectors import accident_list
from worksafe.core.errors import one_or_not_found
from worksafe.hazards.models import Hazard, overdue_q
from worksafe.hazards.selectors import hazard_list
from worksafe.inspections.models import Inspection
from worksafe.inspections.selectors import enforcement_list, inspection_list
from worksafe.orgs.models import Role
from worksafe.orgs.scope import scope_q
from worksafe.regions.models import ancestor_codes, in_subtree

from .models import Period, Result, Subject


def period_list(*, visible_to) -> QuerySet[Period]:
    """Offices and leaders see the periods of their area; everyone assessed under a published
    period (offices, leaders and departments of the regions below) sees its results."""
    user = visible_to
    queryset = Period.objects.select_related("region")
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.role == Role.ADMIN:
        return queryset
    if user.organization is None or user.role not in (Role.OFFICE, Role.LEADER, Role.INSPECTOR):
        return queryset.none()
    published_above = Q(
        status=Period.Status.PUBLISHED, region_id__in=ancestor_codes(user.organization.region_id)
    )
    own_area = scope_q(user, industry=None, enterprise=None)
    return queryset.filter(own_area | published_above)


def period_get(*, visible_to, pk: int) -> Period:
    """One period the user sees; NotFound otherwise."""
    return one_or_not_found(period_list(visible_to=visible_to), pk)


def results(period: Period) -> QuerySet[Result]:
    return (
        Result.objects.filter(subject__period=period)
        .select_related("subject", "subject__region", "veto_accident__region")
        .order_by("rank", "subject_id")
    )


@dataclass(frozen=True)
class Figures:
    hazards: int
    closed: int
    cancelled: int
    overdue: int
    accidents: int
    deaths: int
    inspections: int
    enforcement: int
    veto_accident: Accident | None

    @property
    def closure_rate(self) -> float:
        counted = self.hazards - self.cancelled
        return 1.0 if counted <= 0 else self.closed / counted

    @property
    def empty(self) -> bool:
        return not (self.hazards or self.accidents or self.inspections or self.enforcement)

    @property
    def overdue_rate(self) -> float:
        counted = self.hazards - self.cancelled
        return 0.0 if counted <= 0 else self.overdue / counted


def _local_bounds(starts_on: date, ends_on: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(starts_on, time.min))
    end = timezone.make_aware(datetime.combine(ends_on + timedelta(days=1), time.min))
    return start, end


def subject_figures(subject: Subject, *, period: Period, visible_to, today: date | None = None) -> Figures:
    """Hidden-danger, accident, inspection and enforcement figures of the subject's area in the
    period (five queries). A department is measured on its industries for hidden dangers and
    accidents, and on what it did itself for inspections and enforcement."""
    today = today or timezone.localdate()
    start, end = _local_bounds(period.starts_on, period.ends_on)
    area = in_subtree("region_id", subject.region_id)
    industries = None
    if subject.kind == Subject.Kind.DEPARTMENT and subject.organization_id:
        industries = subject.organization.industries or []
    hazards = hazard_list(visible_to=visible_to).filter(area, created_at__gte=start, created_at__lt=end)
    accidents = accident_list(visible_to=visible_to).filter(area, occurred_at__gte=start, occurred_at__lt=end)
    if industries is not None:
        hazards = hazards.filter(industry__in=industries)
        accidents = accidents.filter(industry__in=industries)
    inspections = inspection_list(visible_to=visible_to).filter(
        area, status=Inspection.Status.FINISHED, finished_at__gte=start, finished_at__lt=end
    )
    enforcement = enforcement_list(visible_to=visible_to).filter(
        area, created_at__gte=start, created_at__lt=end
    )
    if subject.kind == Subject.Kind.DEPARTMENT and subject.organization_id:
        inspections = inspections.filter(organizer_id=subject.organization_id)
        enforcement = enforcement.filter(issued_by_id=subject.organization_id)
    reference = min(today, period.ends_on)
    h = hazards.order_by().aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=Q(status=Hazard.Status.CLOSED)),
        cancelled=Count("pk", filter=Q(status=Hazard.Status.CANCELLED)),
        overdue=Count("pk", filter=overdue_q(reference)),
    )
    a = accidents.order_by().aggregate(
        count=Count("pk"), deaths=Coalesce(Sum("deaths"), 0) + Coalesce(Sum("missing"), 0)
    )
    veto = None
    if period.veto_grades:
        veto = accidents.filter(grade__in=period.veto_grades).order_by("occurred_at", "pk").first()
    return Figures(
        hazards=h["total"],
        closed=h["closed"],
        cancelled=h["cancelled"],
        overdue=h["overdue"],
        accidents=a["count"],
        deaths=a["deaths"],
        inspections=inspections.order_by().count(),
        enforcement=enforcement.order_by().count(),
        veto_accident=veto,
    )
