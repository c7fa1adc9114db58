from datetime import date, datetime
from decimal import Decimal

from ninja import Query, Router, Schema, Status
from pydantic import Field

from worksafe.audit.schemas import EventOut
from worksafe.core.api import Choice, DbId, ErrorOut, IsoDate
from worksafe.core.pagination import keyset_page
from worksafe.core.schemas import Cursor, JsonBody, Limit, Money
from worksafe.orgs.models import Industry
from worksafe.regions.models import REGION_CODE

from . import services
from .models import Accident, AccidentType, Decision, Grade, Investigation, ReportDuty, Track
from .selectors import (
    AccidentFilters,
    accident_events,
    accident_get,
    accident_history,
    accident_search,
    decisions,
    report_duties,
)

router = Router(tags=["accidents"])

COUNT = Field(..., ge=0, le=100_000)


class AccidentOut(Schema):
    id: int
    occurred_at: datetime
    learned_at: datetime
    region: str
    enterprise: int | None
    enterprise_name: str | None
    industry: str
    accident_type: str
    location: str
    summary: str
    deaths: int
    missing: int
    serious_injuries: int
    direct_economic_loss: str
    grade: str
    created_at: datetime
    version: int

    @staticmethod
    def resolve_region(obj: Accident) -> str:
        return obj.region_id

    @staticmethod
    def resolve_enterprise(obj: Accident) -> int | None:
        return obj.enterprise_id

    @staticmethod
    def resolve_enterprise_name(obj: Accident) -> str | None:
        return obj.enterprise.name if obj.enterprise_id else None

    @staticmethod
    def resolve_direct_economic_loss(obj: Accident) -> str:
        return f"{obj.direct_economic_loss:.2f}"


class AccidentPage(Schema):
    items: list[AccidentOut]
    next: str | None


class AccidentIn(JsonBody):
    occurred_at: datetime
    region: str = Field(..., pattern=REGION_CODE)
    industry: Industry
    deaths: int = COUNT
    serious_injuries: int = COUNT
    direct_economic_loss: Money
    missing: int = Field(0, ge=0, le=100_000)
    enterprise: DbId | None = None
    learned_at: datetime | None = None
    accident_type: AccidentType | None = None
    location: str = Field("", max_length=200)
    summary: str = Field("", max_length=20_000)


class AccidentPatch(JsonBody):
    version: int
    deaths: int | None = Field(None, ge=0, le=100_000)
    missing: int | None = Field(None, ge=0, le=100_000)
    serious_injuries: int | None = Field(None, ge=0, le=100_000)
    direct_economic_loss: Money | None = None
    summary: str | None = Field(None, max_length=20_000)
    location: str | None = Field(None, max_length=200)
    note: str = Field("", max_length=5000)


class AccidentQuery(Schema):
    grade: Grade | None = None
    region: str | None = Field(None, pattern=REGION_CODE)
    industry: Industry | None = None
    enterprise: DbId | None = None
    occurred_from: IsoDate | None = None
    occurred_to: IsoDate | None = None
    cursor: Cursor | None = None
    limit: Limit | None = None


class GradeChangeOut(Schema):
    at: datetime
    from_grade: str
    to_grade: str
    deaths: int
    missing: int
    serious_injuries: int
    direct_economic_loss: str
    actor: str
    note: str

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor.username

    @staticmethod
    def resolve_direct_economic_loss(obj) -> str:
        return f"{obj.direct_economic_loss:.2f}"


class DutyOut(Schema):
    id: int
    kind: str
    from_level: str
    to_level: str
    due_at: datetime
    reported_at: datetime | None
    status: str
    irregularity: str
    irregularity_note: str
    note: str


class DutyReportIn(JsonBody):
    reported_at: datetime | None = None
    note: str = Field("", max_length=5000)


class DutyFlagIn(JsonBody):
    irregularity: Choice[ReportDuty.Irregularity]
    note: str = Field(..., max_length=5000)


class TeamMember(JsonBody):
    name: str = Field(..., max_length=100)
    unit: str = Field("", max_length=200)
    role: str = Field("", max_length=100)


class TrackOut(Schema):
    kind: str
    status: str
    findings: str
    closed_at: datetime | None


class InvestigationOut(Schema):
    lead_level: str
    lead_authority: str
    team: list[dict]
    due_on: date
    overdue: bool
    extension_days: int
    extension_approved_by: str
    extension_reason: str
    direct_causes: str
    indirect_causes: str
    conclusion: str
    status: str
    concluded_at: datetime | None
    tracks: list[TrackOut]
    version: int

    @staticmethod
    def resolve_overdue(obj: Investigation) -> bool:
        return obj.overdue()

    @staticmethod
    def resolve_tracks(obj: Investigation) -> list:
        return list(obj.tracks.all())


class InvestigationPatch(JsonBody):
    version: int
    lead_authority: str | None = Field(None, max_length=200)
    team: list[TeamMember] | None = None
    direct_causes: str | None = Field(None, max_length=20_000)
    indirect_causes: str | None = Field(None, max_length=20_000)


class ExtendIn(JsonBody):
    version: int
    days: int = Field(..., ge=1, le=Investigation.MAX_EXTENSION_DAYS)
    approved_by: str = Field(..., min_length=1, max_length=200)
    reason: str = Field(..., min_length=1, max_length=5000)


class TrackIn(JsonBody):
    findings: str | None = Field(None, max_length=20_000)
    close: bool | None = None


class ConcludeIn(JsonBody):
    version: int
    conclusion: str = Field(..., max_length=20_000)


class DecisionOut(Schema):
    id: int
    subject: str
    organization: int | None
    person_name: str
    kind: str
    basis: str
    amount: str | None
    previous_year_income: str | None
    law_version: str
    range_min: str | None
    range_max: str | None
    aggravated: bool
    outside_range: bool
    outside_range_reason: str
    decided_at: datetime

    @staticmethod
    def resolve_organization(obj: Decision) -> int | None:
        return obj.organization_id

    @staticmethod
    def _money(value) -> str | None:
        return None if value is None else f"{value:.2f}"

    @staticmethod
    def resolve_amount(obj: Decision) -> str | None:
        return DecisionOut._money(obj.amount)

    @staticmethod
    def resolve_previous_year_income(obj: Decision) -> str | None:
        return DecisionOut._money(obj.previous_year_income)

    @staticmethod
    def resolve_range_min(obj: Decision) -> str | None:
        return DecisionOut._money(obj.range_min)

    @staticmethod
    def resolve_range_max(obj: Decision) -> str | None:
        return DecisionOut._money(obj.range_max)


class DecisionIn(JsonBody):
    subject: Choice[Decision.Subject]
    kind: Choice[Decision.Kind]
    basis: str = Field(..., max_length=5000)
    amount: Money | None = None
    organization: DbId | None = None
    person_name: str = Field("", max_length=100)
    previous_year_income: Money | None = None
    aggravated: bool = False
    outside_range_reason: str = Field("", max_length=5000)


class ProposalOut(Schema):
    subject: str
    law_version: str | None
    minimum: str | None
    maximum: str | None
    basis: str | None


class ProposalQuery(Schema):
    subject: Choice[Decision.Subject] = Decision.Subject.ENTERPRISE
    previous_year_income: Money | None = None
    aggravated: bool = False


class HistoryHazardOut(Schema):
    id: int
    number: str
    title: str
    level: str
    status: str
    due_date: date
    overdue: bool
    created_at: datetime
    closed_at: datetime | None


class HistoryInspectionOut(Schema):
    id: int
    kind: str
    status: str
    planned_on: date
    finished_at: datetime | None


class HistoryEnforcementOut(Schema):
    id: int
    kind: str
    status: str
    amount: Decimal | None
    legal_basis: str
    created_at: datetime


class HistoryOut(Schema):
    days: int
    hazards: list[HistoryHazardOut]
    inspections: list[HistoryInspectionOut]
    enforcement: list[HistoryEnforcementOut]
    known: int
    rectified: int
    open: int


def _page(items):
    return {"items": items, "next": None}


class ListOf(Schema):
    next: str | None = None


class GradeHistoryPage(ListOf):
    items: list[GradeChangeOut]


class DutyPage(ListOf):
    items: list[DutyOut]


class DecisionPage(ListOf):
    items: list[DecisionOut]


class EventPage(ListOf):
    items: list[EventOut]


@router.get("/accidents", response={200: AccidentPage, 422: ErrorOut})
def list_accidents(request, query: Query[AccidentQuery]):
    filters = AccidentFilters(**query.dict(exclude={"cursor", "limit"}))
    queryset = accident_search(visible_to=request.user, filters=filters)
    items, cursor = keyset_page(queryset, cursor=query.cursor, limit=query.limit)
    return {"items": items, "next": cursor}


@router.post("/accidents", response={201: AccidentOut, 403: ErrorOut, 422: ErrorOut})
def create_accident(request, payload: AccidentIn):
    accident = services.accident_create(actor=request.user, **payload.dict())
    return Status(201, accident_get(visible_to=request.user, pk=accident.pk))


@router.get("/accidents/{accident_id}", response={200: AccidentOut, 404: ErrorOut, 422: ErrorOut})
def get_accident(request, accident_id: int):
    return accident_get(visible_to=request.user, pk=accident_id)


@router.patch(
    "/accidents/{accident_id}",
    response={200: AccidentOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def update_accident(request, accident_id: int, payload: AccidentPatch):
    """Change the figures; regrades, keeps the grade history and, inside the statutory window,
    creates the supplementary report duty."""
    services.accident_update(actor=request.user, accident_id=accident_id, **payload.dict())
    return accident_get(visible_to=request.user, pk=accident_id)


@router.get(
    "/accidents/{accident_id}/grade-history", response={200: GradeHistoryPage, 404: ErrorOut, 422: ErrorOut}
)
def grade_history(request, accident_id: int):
    accident = accident_get(visible_to=request.user, pk=accident_id)
    return _page(list(accident.grade_changes.select_related("actor").order_by("id")))


@router.get("/accidents/{accident_id}/reports", response={200: DutyPage, 404: ErrorOut, 422: ErrorOut})
def list_reports(request, accident_id: int):
    """The reports the chain owes, with deadlines and status (pending, on_time, late, missing)."""
    return _page(list(report_duties(accident_get(visible_to=request.user, pk=accident_id))))


@router.post(
    "/accidents/{accident_id}/reports/{duty_id}/made",
    response={200: DutyOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def record_report(request, accident_id: int, duty_id: int, payload: DutyReportIn):
    return services.report_record(
        actor=request.user, accident_id=accident_id, duty_id=duty_id, **payload.dict()
    )


@router.post(
    "/accidents/{accident_id}/reports/{duty_id}/flag",
    response={200: DutyOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def flag_report(request, accident_id: int, duty_id: int, payload: DutyFlagIn):
    """Record concealment (concealed) or false reporting (false); empty clears the flag."""
    return services.report_flag(
        actor=request.user, accident_id=accident_id, duty_id=duty_id, **payload.dict()
    )


@router.get(
    "/accidents/{accident_id}/investigation", response={200: InvestigationOut, 404: ErrorOut, 422: ErrorOut}
)
def get_investigation(request, accident_id: int):
    return accident_get(visible_to=request.user, pk=accident_id).investigation


@router.patch(
    "/accidents/{accident_id}/investigation",
    response={200: InvestigationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def update_investigation(request, accident_id: int, payload: InvestigationPatch):
    data = payload.dict()
    services.investigation_update(actor=request.user, accident_id=accident_id, **data)
    return accident_get(visible_to=request.user, pk=accident_id).investigation


@router.post(
    "/accidents/{accident_id}/investigation/extend",
    response={200: InvestigationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def extend_investigation(request, accident_id: int, payload: ExtendIn):
    services.investigation_extend(actor=request.user, accident_id=accident_id, **payload.dict())
    return accident_get(visible_to=request.user, pk=accident_id).investigation


@router.post(
    "/accidents/{accident_id}/investigation/tracks/{kind}",
    response={200: TrackOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def update_track(request, accident_id: int, kind: Choice[Track.Kind], payload: TrackIn):
    return services.track_update(actor=request.user, accident_id=accident_id, kind=kind, **payload.dict())


@router.post(
    "/accidents/{accident_id}/investigation/conclude",
    response={200: InvestigationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def conclude_investigation(request, accident_id: int, payload: ConcludeIn):
    """Conclude the case; 422 naming each open track (tracks.<kind>) of the three."""
    services.investigation_conclude(actor=request.user, accident_id=accident_id, **payload.dict())
    return accident_get(visible_to=request.user, pk=accident_id).investigation


@router.get("/accidents/{accident_id}/decisions", response={200: DecisionPage, 404: ErrorOut, 422: ErrorOut})
def list_decisions(request, accident_id: int):
    return _page(list(decisions(accident_get(visible_to=request.user, pk=accident_id))))


@router.post(
    "/accidents/{accident_id}/decisions",
    response={201: DecisionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def create_decision(request, accident_id: int, payload: DecisionIn):
    return Status(
        201, services.decision_create(actor=request.user, accident_id=accident_id, **payload.dict())
    )


@router.get(
    "/accidents/{accident_id}/fine-proposal", response={200: ProposalOut, 404: ErrorOut, 422: ErrorOut}
)
def fine_proposal(
    request,
    accident_id: int,
    query: Query[ProposalQuery],
):
    """The Work Safety Law range for the grade, in the version in force on the accident's date."""
    accident = accident_get(visible_to=request.user, pk=accident_id)
    subject = query.subject
    found = services.proposal(
        accident,
        subject=subject,
        previous_year_income=query.previous_year_income,
        aggravated=query.aggravated,
    )
    if found is None:
        return {"subject": subject, "law_version": None, "minimum": None, "maximum": None, "basis": None}
    return {
        "subject": subject,
        "law_version": found.law_version,
        "minimum": f"{found.minimum:.2f}",
        "maximum": f"{found.maximum:.2f}",
        "basis": found.basis,
    }


@router.get("/accidents/{accident_id}/history", response={200: HistoryOut, 404: ErrorOut, 422: ErrorOut})
def history(request, accident_id: int):
    """Hidden dangers, inspections and enforcement of the accident's enterprise in the twelve
    months before it: was the danger known, was it rectified?"""
    return accident_history(accident_get(visible_to=request.user, pk=accident_id), visible_to=request.user)


@router.get("/accidents/{accident_id}/events", response={200: EventPage, 404: ErrorOut, 422: ErrorOut})
def events(request, accident_id: int):
    """The case timeline, oldest first."""
    return _page(list(accident_events(accident_get(visible_to=request.user, pk=accident_id))))
