from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from worksafe.audit.schemas import EventOut
from worksafe.core.api import Choice, DbId, ErrorOut, IsoDate
from worksafe.core.errors import NotFound
from worksafe.core.pagination import keyset_page
from worksafe.core.schemas import Cursor, JsonBody, Limit, Money
from worksafe.core.uploads import attachment_response
from worksafe.orgs.models import Industry
from worksafe.regions.models import REGION_CODE

from . import rules, services
from .models import Evidence, Hazard
from .selectors import HazardFilters, hazard_events, hazard_get, hazard_region_stats, hazard_search

router = Router(tags=["hidden dangers"])


class HazardPlanOut(Schema):
    measures: str
    responsible_person: str
    funds: Decimal | None
    deadline: date | None
    contingency_plan: str
    complete: bool


class HazardOut(Schema):
    id: int
    number: str
    enterprise: int
    enterprise_name: str
    region: str
    industry: str
    title: str
    description: str
    location: str
    level: str
    source: str
    status: str
    due_date: date
    overdue: bool
    days_overdue: int
    responsible_person: str
    expert: int | None
    rejection_count: int
    escalation: str | None
    plan: HazardPlanOut
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    version: int
    allowed_actions: list[str]

    @staticmethod
    def resolve_enterprise(obj: Hazard) -> int:
        return obj.enterprise_id

    @staticmethod
    def resolve_enterprise_name(obj: Hazard) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_region(obj: Hazard) -> str:
        return obj.region_id

    @staticmethod
    def resolve_expert(obj: Hazard) -> int | None:
        return obj.expert_id

    @staticmethod
    def resolve_days_overdue(obj: Hazard) -> int:
        return obj.days_overdue()

    @staticmethod
    def resolve_escalation(obj: Hazard) -> str | None:
        return obj.escalation[0] if obj.escalation else None

    @staticmethod
    def resolve_plan(obj: Hazard) -> dict:
        return {
            "measures": obj.plan_measures,
            "responsible_person": obj.plan_responsible_person,
            "funds": obj.plan_funds,
            "deadline": obj.plan_deadline,
            "contingency_plan": obj.plan_contingency,
            "complete": obj.plan_complete,
        }

    @staticmethod
    def resolve_allowed_actions(obj: Hazard, context) -> list[str]:
        return rules.allowed_actions(context["request"].user, obj)


class HazardPage(Schema):
    items: list[HazardOut]
    next: str | None


class HazardIn(JsonBody):
    enterprise: DbId
    title: str = Field(..., max_length=200)
    level: Choice[Hazard.Level]
    source: Choice[Hazard.Source]
    due_date: IsoDate
    description: str = Field("", max_length=10000)
    location: str = Field("", max_length=200)
    responsible_person: str = Field("", max_length=100)


class HazardQuery(Schema):
    status: Choice[Hazard.Status] | None = None
    level: Choice[Hazard.Level] | None = None
    region: str | None = Field(None, pattern=REGION_CODE)
    industry: Industry | None = None
    enterprise: DbId | None = None
    source: Choice[Hazard.Source] | None = None
    overdue: bool | None = None
    q: str | None = Field(None, max_length=100)
    open: bool = False
    due_within_days: int | None = Field(None, ge=0, le=366)
    cursor: Cursor | None = None
    limit: Limit | None = None


class HazardPlanIn(JsonBody):
    version: int
    measures: str | None = Field(None, max_length=10000)
    responsible_person: str | None = Field(None, max_length=100)
    funds: Money | None = None
    deadline: IsoDate | None = None
    contingency_plan: str | None = Field(None, max_length=10000)


class HazardTransitionIn(JsonBody):
    action: Literal[*Hazard.TRANSITIONS]
    version: int
    note: str = Field("", max_length=5000)
    due_date: IsoDate | None = None
    responsible_person: str | None = Field(None, max_length=100)
    expert: DbId | None = None


class EventPage(Schema):
    items: list[EventOut]
    next: str | None = None


class EvidenceOut(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    url: str

    @staticmethod
    def resolve_url(obj: Evidence) -> str:
        return f"/api/v1/hazards/{obj.hazard_id}/evidence/{obj.pk}"


class EvidencePage(Schema):
    items: list[EvidenceOut]
    next: str | None = None


class StatsOut(Schema):
    total: int
    by_status: dict[str, int]
    by_level: dict[str, int]
    overdue: int


@router.get("/hazards", response={200: HazardPage, 422: ErrorOut})
def list_hazards(request, query: Query[HazardQuery]):
    filters = HazardFilters(**query.dict(exclude={"cursor", "limit"}))
    items, cursor = keyset_page(
        hazard_search(visible_to=request.user, filters=filters), cursor=query.cursor, limit=query.limit
    )
    return {"items": items, "next": cursor}


@router.post("/hazards", response={201: HazardOut, 403: ErrorOut, 422: ErrorOut})
def create_hazard(request, payload: HazardIn):
    hazard = services.hazard_create(actor=request.user, **payload.dict())
    return Status(201, hazard_get(visible_to=request.user, pk=hazard.pk))


@router.get("/hazards/{hazard_id}", response={200: HazardOut, 404: ErrorOut})
def get_hazard(request, hazard_id: int):
    return hazard_get(visible_to=request.user, pk=hazard_id)


@router.post(
    "/hazards/{hazard_id}/plan",
    response={200: HazardOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def fill_plan(request, hazard_id: int, payload: HazardPlanIn):
    """Fields left out keep their value; a field sent as null or "" is cleared. A new deadline
    lies between today and the hidden danger's due date."""
    services.hazard_plan(actor=request.user, hazard_id=hazard_id, **payload.dict(exclude_unset=True))
    return hazard_get(visible_to=request.user, pk=hazard_id)


@router.post(
    "/hazards/{hazard_id}/transition",
    response={200: HazardOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def transition(request, hazard_id: int, payload: HazardTransitionIn):
    services.hazard_transition(actor=request.user, hazard_id=hazard_id, **payload.dict())
    return hazard_get(visible_to=request.user, pk=hazard_id)


@router.get("/hazards/{hazard_id}/events", response={200: EventPage, 404: ErrorOut})
def events(request, hazard_id: int):
    """Every event of the hidden danger, oldest first, creation included."""
    return {"items": list(hazard_events(hazard_get(visible_to=request.user, pk=hazard_id))), "next": None}


@router.post(
    "/hazards/{hazard_id}/evidence", response={201: EvidenceOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def add_evidence(request, hazard_id: int, kind: Form[Choice[Evidence.Kind]], file: File[UploadedFile]):
    return Status(
        201, services.hazard_add_evidence(actor=request.user, hazard_id=hazard_id, upload=file, kind=kind)
    )


@router.get("/hazards/{hazard_id}/evidence", response={200: EvidencePage, 404: ErrorOut})
def list_evidence(request, hazard_id: int):
    return {"items": list(hazard_get(visible_to=request.user, pk=hazard_id).evidence.all()), "next": None}


@router.get("/hazards/{hazard_id}/evidence/{evidence_id}", response={200: None, 404: ErrorOut})
def download_evidence(request, hazard_id: int, evidence_id: int):
    """The stored file, always as an attachment with the type judged at upload."""
    evidence = hazard_get(visible_to=request.user, pk=hazard_id).evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise NotFound()
    return attachment_response(evidence.file, evidence.content_type)


@router.get("/stats/hazards", response={200: StatsOut, 404: ErrorOut, 422: ErrorOut})
def stats(request, region: str = Query(..., pattern=REGION_CODE), industry: Industry | None = None):
    """Totals for a region and everything below it, within the caller's scope."""
    return hazard_region_stats(visible_to=request.user, region=region, industry=industry)
