"""Scoped reads of inspections, checklists, opinions and enforcement. Every page and endpoint
reads them through here."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from worksafe.core.errors import one_or_not_found
from worksafe.core.filters import matching
from worksafe.orgs.models import Organization, Role, User
from worksafe.orgs.scope import NOTHING, scope_q
from worksafe.orgs.selectors import organization_list
from worksafe.regions.models import ancestor_codes, in_subtree

from . import rules
from .models import (
    Answer,
    ChecklistItem,
    ChecklistTemplate,
    Enforcement,
    Finding,
    Inspection,
    InspectionPlan,
    Opinion,
    Photo,
    ResumptionCase,
    hidden_from_target_q,
)


def _team_q(user) -> Q:
    return Q(Exists(Inspection.team.through.objects.filter(inspection_id=OuterRef("pk"), user_id=user.pk)))


def inspection_list(*, visible_to) -> QuerySet[Inspection]:
    """Inspections the user may see. An unannounced inspection not yet started is withheld from
    its target's own users at this level (四不两直, domain.md §6), so no page, list or count
    built on it can tell them it is coming."""
    user = visible_to
    queryset = Inspection.objects.select_related("target", "checklist", "region")
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    condition = scope_q(user, region="region_id", industry="industry", enterprise="target_id")
    if user.role != Role.ADMIN and user.organization_id:
        # Government targets have no industry: their inspectors see them through the team or organizer.
        condition |= _team_q(user) | Q(organizer_id=user.organization_id)
        condition &= ~hidden_from_target_q(user.organization_id)
    elif user.role != Role.ADMIN:
        condition = NOTHING
    return queryset.filter(condition)


def inspection_get(*, visible_to, pk: int) -> Inspection:
    """One inspection the user sees, with its team, answers, findings, opinions and checklist."""
    queryset = inspection_list(visible_to=visible_to).prefetch_related(
        "team", "answers", "findings", "opinions", "checklist__items"
    )
    return one_or_not_found(queryset, pk)


@dataclass(frozen=True)
class InspectionFilters:
    status: str | None = None
    kind: str | None = None
    target: int | None = None


def inspection_search(*, visible_to, filters: InspectionFilters) -> QuerySet[Inspection]:
    """The inspection lists of the API and the pages."""
    queryset = inspection_list(visible_to=visible_to).prefetch_related("team")
    return matching(queryset, filters, {"status": "status", "kind": "kind", "target": "target_id"})


def todays_inspections(*, visible_to, today: date) -> QuerySet[Inspection]:
    """The user's own work for today: inspections it is on the team of that are under way or
    planned for today or earlier."""
    user = visible_to
    return (
        inspection_list(visible_to=user)
        .filter(_team_q(user))
        .filter(
            Q(status=Inspection.Status.IN_PROGRESS)
            | Q(status=Inspection.Status.PLANNED, planned_on__lte=today)
        )
        .order_by("planned_on", "pk")
    )


def inspection_counts(*, visible_to) -> dict:
    """Counts by status and kind over what the user may see, in one query."""
    aggregates = {"total": Count("pk")}
    for status in Inspection.Status.values:
        aggregates[f"s_{status}"] = Count("pk", filter=Q(status=status))
    for kind in Inspection.Kind.values:
        aggregates[f"k_{kind}"] = Count("pk", filter=Q(kind=kind))
    row = inspection_list(visible_to=visible_to).order_by().aggregate(**aggregates)
    return {
        "total": row["total"],
        "by_status": {s: row[f"s_{s}"] for s in Inspection.Status.values},
        "by_kind": {k: row[f"k_{k}"] for k in Inspection.Kind.values},
    }


def checklist_list(*, visible_to) -> QuerySet[ChecklistTemplate]:
    """Shipped templates for everyone signed in; an adapted one for its owner organization's
    users and the offices above it."""
    user = visible_to
    queryset = ChecklistTemplate.objects.select_related("owner")
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.role == Role.ADMIN:
        return queryset
    own = Q(owner__isnull=True)
    if user.organization_id:
        own |= Q(owner_id=user.organization_id)
        if user.role in (Role.OFFICE, Role.LEADER):
            own |= in_subtree("owner__region_id", user.organization.region_id)
    return queryset.filter(own)


def checklist_in_use(template: ChecklistTemplate) -> bool:
    """An inspection keeps the version it used: a version in use is no longer edited."""
    return Inspection.objects.filter(checklist=template).exists()


def latest_template(industry: str) -> ChecklistTemplate | None:
    return (
        ChecklistTemplate.objects.filter(owner__isnull=True, industry=industry, is_active=True)
        .order_by("code", "-version")
        .first()
    )


def target_list(*, visible_to) -> QuerySet[Organization]:
    """Organizations the user may plan an inspection of: enterprises in scope, and for offices
    the governments, committees and departments of lower regions (supervision of governments)."""
    user = visible_to
    queryset = organization_list(visible_to=user)
    if user.role in (Role.OFFICE, Role.LEADER) and user.organization_id:
        return queryset.exclude(pk=user.organization_id)
    if user.role == Role.ADMIN:
        return queryset
    return queryset.filter(kind=Organization.Kind.ENTERPRISE)


def checklist_progress(inspection: Inspection) -> tuple[int, int]:
    """(answered, total) items of the inspection's checklist."""
    if not inspection.checklist_id:
        return 0, 0
    total = ChecklistItem.objects.filter(template_id=inspection.checklist_id).count()
    return inspection.answers.count(), total


def _penalizing_departments(codes, exclude: int | None) -> list[Organization]:
    return list(
        Organization.objects.filter(
            kind=Organization.Kind.DEPARTMENT, can_penalize=True, region_id__in=set(codes)
        ).exclude(pk=exclude)
    )


def referral_receivers(*, target: Organization, exclude: int | None = None) -> list[Organization]:
    """Departments that may take a referral about the target (rules.may_receive_referral),
    nearest first: those of the target's own region, then of each region above it."""
    chain = ancestor_codes(target.region_id)
    found = [
        org for org in _penalizing_departments(chain, exclude) if rules.may_receive_referral(org, target)
    ]
    return sorted(found, key=lambda org: (chain.index(org.region_id), org.pk))


def referral_receivers_in_scope(*, visible_to) -> QuerySet[Organization]:
    """Departments that may take a referral about at least one enterprise the user sees (the
    same rule, applied to each region and industry the user's enterprises are in)."""
    user = visible_to
    enterprises = target_list(visible_to=user).filter(kind=Organization.Kind.ENTERPRISE).order_by()
    places = [
        Organization(region_id=region, industry=industry)
        for region, industry in enterprises.values_list("region_id", "industry").distinct()
    ]
    codes = {code for place in places for code in ancestor_codes(place.region_id)}
    ids = {
        org.pk
        for org in _penalizing_departments(codes, user.organization_id)
        if any(rules.may_receive_referral(org, place) for place in places)
    }
    return Organization.objects.filter(pk__in=ids)


def checklist_get(*, visible_to, pk: int) -> ChecklistTemplate:
    return one_or_not_found(checklist_list(visible_to=visible_to).prefetch_related("items"), pk)


def plan_list(*, visible_to) -> QuerySet[InspectionPlan]:
    """Plans are the organizer's working papers: the draw names every target, so only the
    organizing organization (and administrators) may read it."""
    user = visible_to
    if not user.is_authenticated or not user.is_active:
        return InspectionPlan.objects.none()
    if user.role == Role.ADMIN:
        return InspectionPlan.objects.all()
    if user.role not in (Role.OFFICE, Role.LEADER, Role.INSPECTOR) or not user.organization_id:
        return InspectionPlan.objects.none()
    return InspectionPlan.objects.filter(Q(created_by=user) | Q(organizer_id=user.organization_id))


def plan_get(*, visible_to, pk: int) -> InspectionPlan:
    return one_or_not_found(plan_list(visible_to=visible_to), pk)


def opinion_list(*, visible_to) -> QuerySet[Opinion]:
    inspections = inspection_list(visible_to=visible_to)
    return Opinion.objects.filter(inspection__in=inspections.values("pk")).select_related(
        "addressee", "inspection"
    )


def opinion_get(*, visible_to, pk: int) -> Opinion:
    return one_or_not_found(opinion_list(visible_to=visible_to), pk)


def enforcement_list(*, visible_to) -> QuerySet[Enforcement]:
    user = visible_to
    queryset = Enforcement.objects.select_related("target", "issued_by", "referred_to")
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    condition = scope_q(user, region="region_id", industry="industry", enterprise="target_id")
    if user.role != Role.ADMIN and user.organization_id:
        condition |= Q(issued_by_id=user.organization_id) | Q(referred_to_id=user.organization_id)
    return queryset.filter(condition)


def enforcement_get(*, visible_to, pk: int) -> Enforcement:
    return one_or_not_found(enforcement_list(visible_to=visible_to), pk)


@dataclass(frozen=True)
class EnforcementFilters:
    kind: str | None = None
    status: str | None = None
    target: int | None = None


def enforcement_search(*, visible_to, filters: EnforcementFilters) -> QuerySet[Enforcement]:
    """The enforcement lists of the API and the pages."""
    queryset = enforcement_list(visible_to=visible_to)
    return matching(queryset, filters, {"kind": "kind", "status": "status", "target": "target_id"})


def reinspection_list(*, visible_to) -> QuerySet[Organization]:
    """Suspended or closed enterprises in scope, to be inspected again, with how many times one
    was found operating (unauthorized resumption)."""
    cases = (
        ResumptionCase.objects.filter(enterprise_id=OuterRef("pk"))
        .order_by()
        .values("enterprise_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        organization_list(visible_to=visible_to)
        .filter(kind=Organization.Kind.ENTERPRISE)
        .exclude(status=Organization.Status.OPERATING)
        .annotate(resumption_cases=Coalesce(Subquery(cases), 0))
    )


def resumption_case_list(*, visible_to) -> QuerySet[ResumptionCase]:
    return ResumptionCase.objects.filter(
        scope_q(visible_to, region="region_id", industry="industry", enterprise="enterprise_id")
    ).select_related("enterprise", "inspection")


@dataclass(frozen=True)
class ActivityRow:
    kind: str  # "department" or "inspector"
    id: int
    name: str
    department: str
    inspections: int
    hazards: int
    enforcement: int

    @property
    def only_inspects(self) -> bool:
        return self.inspections > 0 and self.enforcement == 0


def activity(*, visible_to, start: date, end: date) -> list[ActivityRow]:
    """Per department and per inspector in the user's area: inspections finished, hidden dangers
    they produced and enforcement actions issued in [start, end] (Asia/Shanghai days), so an
    office sees who inspects but never enforces. A fixed number of queries."""
    user = visible_to
    end = min(end, date.max - timedelta(days=2))  # the day after must still be a date
    start = max(start, date.min + timedelta(days=1))
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    people = User.objects.filter(role=Role.INSPECTOR, is_active=True).select_related("organization")
    if user.role != Role.ADMIN:
        if user.role not in (Role.OFFICE, Role.LEADER, Role.INSPECTOR) or not user.organization_id:
            return []
        if user.role == Role.INSPECTOR:
            people = people.filter(organization_id=user.organization_id)
        else:
            people = people.filter(in_subtree("organization__region_id", user.organization.region_id))
    people = list(people.order_by("organization__name", "username"))
    ids = [p.pk for p in people]
    finished = Inspection.objects.filter(
        status=Inspection.Status.FINISHED, finished_at__gte=since, finished_at__lt=until
    )
    memberships = list(
        Inspection.team.through.objects.filter(
            user_id__in=ids, inspection__in=finished.values("pk")
        ).values_list("user_id", "inspection_id")
    )
    inspection_ids = {i for _u, i in memberships}
    # Hidden dangers an inspection registered count for each member and once per department.
    per_inspection: dict[int, int] = {}
    for model in (Answer, Finding):
        rows = (
            model.objects.filter(inspection_id__in=inspection_ids, hazard__isnull=False)
            .values("inspection_id")
            .annotate(n=Count("pk"))
            .values_list("inspection_id", "n")
        )
        for inspection_id, n in rows:
            per_inspection[inspection_id] = per_inspection.get(inspection_id, 0) + n
    actions = list(
        Enforcement.objects.filter(
            issued_by_user_id__in=ids, created_at__gte=since, created_at__lt=until
        ).values_list("issued_by_user_id", "issued_by_id")
    )
    org_of = {p.pk: p.organization_id for p in people}
    by_user: dict[int, set] = {}
    by_org: dict[int, set] = {}
    for user_id, inspection_id in memberships:
        by_user.setdefault(user_id, set()).add(inspection_id)
        by_org.setdefault(org_of[user_id], set()).add(inspection_id)
    enforcement_user: dict[int, int] = {}
    enforcement_org: dict[int, int] = {}
    for user_id, org_id in actions:
        enforcement_user[user_id] = enforcement_user.get(user_id, 0) + 1
        enforcement_org[org_id] = enforcement_org.get(org_id, 0) + 1

    def totals(inspections: set) -> tuple[int, int]:
        return len(inspections), sum(per_inspection.get(i, 0) for i in inspections)

    rows: list[ActivityRow] = []
    departments: dict[int, str] = {}
    for person in people:
        n_inspections, n_hazards = totals(by_user.get(person.pk, set()))
        rows.append(
            ActivityRow(
                kind="inspector",
                id=person.pk,
                name=person.display_name,
                department=person.organization.name,
                inspections=n_inspections,
                hazards=n_hazards,
                enforcement=enforcement_user.get(person.pk, 0),
            )
        )
        departments.setdefault(person.organization_id, person.organization.name)
    dept_rows = []
    for org_id, name in departments.items():
        n_inspections, n_hazards = totals(by_org.get(org_id, set()))
        dept_rows.append(
            ActivityRow(
                kind="department",
                id=org_id,
                name=name,
                department=name,
                inspections=n_inspections,
                hazards=n_hazards,
                enforcement=enforcement_org.get(org_id, 0),
            )
        )
    return dept_rows + rows


def photo_get(*, visible_to, inspection_id: int, photo_id: int) -> Photo | None:
    """A photo of an inspection the user may see (so an unannounced check's photos stay hidden
    from its target exactly as the check itself)."""
    return Photo.objects.filter(
        pk=photo_id, inspection__in=inspection_list(visible_to=visible_to).filter(pk=inspection_id)
    ).first()
