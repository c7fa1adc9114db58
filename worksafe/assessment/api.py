from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Router, Schema, Status
from pydantic import Field

from worksafe.accidents.models import Grade
from worksafe.core.api import Choice, DbId, ErrorOut, IsoDate
from worksafe.core.pagination import keyset_page
from worksafe.core.schemas import Cursor, JsonBody, Limit, amount
from worksafe.core.xlsx import XLSX, xlsx_response
from worksafe.regions.models import REGION_CODE

from . import services
from .export import ranking_workbook
from .models import Indicator, Period, Result, Subject
from .selectors import period_get, period_list, results

router = Router(tags=["assessment"])


class IndicatorOut(Schema):
    id: int
    name: str
    metric: str
    rule: str
    weight: str
    penalty: str

    @staticmethod
    def resolve_weight(obj: Indicator) -> str:
        return f"{obj.weight:.2f}"

    @staticmethod
    def resolve_penalty(obj: Indicator) -> str:
        return f"{obj.penalty:.2f}"


class SubjectOut(Schema):
    id: int
    kind: str
    region: str
    organization: int | None
    name: str

    @staticmethod
    def resolve_region(obj: Subject) -> str:
        return obj.region_id

    @staticmethod
    def resolve_organization(obj: Subject) -> int | None:
        return obj.organization_id


class PeriodOut(Schema):
    id: int
    name: str
    region: str
    starts_on: date
    ends_on: date
    veto_grades: list[str]
    pass_mark: Decimal
    status: str
    computed_at: datetime | None
    version: int

    @staticmethod
    def resolve_region(obj: Period) -> str:
        return obj.region_id


class PeriodDetailOut(PeriodOut):
    indicators: list[IndicatorOut]
    subjects: list[SubjectOut]

    @staticmethod
    def resolve_indicators(obj: Period) -> list:
        return list(obj.indicators.all())

    @staticmethod
    def resolve_subjects(obj: Period) -> list:
        return list(obj.subjects.all())


class PeriodPage(Schema):
    items: list[PeriodOut]
    next: str | None


class PeriodIn(JsonBody):
    name: str = Field(..., max_length=200)
    region: str = Field(..., pattern=REGION_CODE)
    starts_on: IsoDate
    ends_on: IsoDate
    veto_grades: list[Grade] | None = None
    default_indicators: bool = True
    pass_mark: Decimal | None = Field(None, ge=0, le=1000, decimal_places=2)


class IndicatorIn(JsonBody):
    name: str = Field(..., max_length=200)
    metric: Choice[Indicator.Metric]
    rule: Choice[Indicator.Rule]
    weight: amount(gt=0, le=1000)
    penalty: amount(ge=0, le=1000) = Decimal(0)


class IndicatorPatch(JsonBody):
    weight: Decimal = Field(..., gt=0, le=1000, decimal_places=2)
    penalty: Decimal | None = Field(None, ge=0, le=1000, decimal_places=2)


class SubjectIn(JsonBody):
    kind: Choice[Subject.Kind]
    region: str = Field(..., pattern=REGION_CODE)
    organization: DbId | None = None


class ManualScoreIn(JsonBody):
    subject: DbId
    indicator: DbId
    score: amount(ge=0, le=1000)
    evidence: str = Field(..., max_length=10_000)


class ManualScoreOut(Schema):
    subject: int
    indicator: int
    score: str
    evidence: str

    @staticmethod
    def resolve_subject(obj) -> int:
        return obj.subject_id

    @staticmethod
    def resolve_indicator(obj) -> int:
        return obj.indicator_id

    @staticmethod
    def resolve_score(obj) -> str:
        return f"{obj.score:.2f}"


class PeriodTransitionIn(JsonBody):
    action: Literal[*Period.TRANSITIONS]
    version: int


class BreakdownItem(Schema):
    indicator: int
    name: str
    metric: str
    weight: str
    value: float | int | None
    score: str
    evidence: str = ""


class ResultOut(Schema):
    rank: int
    subject: SubjectOut
    score: str
    passed: bool
    no_data: bool
    vetoed: bool
    veto_accident: int | None
    veto_reason: str
    breakdown: list[BreakdownItem]

    @staticmethod
    def resolve_score(obj: Result) -> str:
        return f"{obj.score:.2f}"

    @staticmethod
    def resolve_veto_accident(obj: Result) -> int | None:
        return obj.veto_accident_id


class ResultPage(Schema):
    items: list[ResultOut]
    next: str | None = None


@router.get("/assessment/periods", response={200: PeriodPage, 422: ErrorOut})
def list_periods(request, cursor: Cursor | None = None, limit: Limit | None = None):
    items, next_cursor = keyset_page(period_list(visible_to=request.user), cursor=cursor, limit=limit)
    return {"items": items, "next": next_cursor}


@router.post("/assessment/periods", response={201: PeriodDetailOut, 403: ErrorOut, 422: ErrorOut})
def create_period(request, payload: PeriodIn):
    """A period with the default indicator set unless default_indicators is false. The veto
    grades default to larger and above (一票否决)."""
    data = payload.dict()
    if data["veto_grades"] is not None:
        data["veto_grades"] = [str(g) for g in data["veto_grades"]]
    period = services.period_create(actor=request.user, **data)
    return Status(201, period_get(visible_to=request.user, pk=period.pk))


@router.get("/assessment/periods/{period_id}", response={200: PeriodDetailOut, 404: ErrorOut, 422: ErrorOut})
def get_period(request, period_id: int):
    return period_get(visible_to=request.user, pk=period_id)


@router.post(
    "/assessment/periods/{period_id}/indicators",
    response={201: IndicatorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def add_indicator(request, period_id: int, payload: IndicatorIn):
    return Status(201, services.indicator_add(actor=request.user, period_id=period_id, **payload.dict()))


@router.patch(
    "/assessment/periods/{period_id}/indicators/{indicator_id}",
    response={200: IndicatorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def update_indicator(request, period_id: int, indicator_id: int, payload: IndicatorPatch):
    """Change a draft period's indicator weight (and its penalty or points per count)."""
    return services.indicator_update(
        actor=request.user, period_id=period_id, indicator_id=indicator_id, **payload.dict()
    )


@router.post(
    "/assessment/periods/{period_id}/subjects",
    response={201: SubjectOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def add_subject(request, period_id: int, payload: SubjectIn):
    return Status(201, services.subject_add(actor=request.user, period_id=period_id, **payload.dict()))


@router.post(
    "/assessment/periods/{period_id}/manual-scores",
    response={200: ManualScoreOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def set_manual_score(request, period_id: int, payload: ManualScoreIn):
    data = payload.dict()
    return services.manual_score_set(
        actor=request.user,
        period_id=period_id,
        subject_id=data["subject"],
        indicator_id=data["indicator"],
        score=data["score"],
        evidence=data["evidence"],
    )


@router.post(
    "/assessment/periods/{period_id}/compute",
    response={200: ResultPage, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def compute(request, period_id: int):
    """Score every subject from system data and manual items, apply the veto and rank."""
    services.period_compute(actor=request.user, period_id=period_id)
    return {"items": list(results(period_get(visible_to=request.user, pk=period_id))), "next": None}


@router.post(
    "/assessment/periods/{period_id}/transition",
    response={200: PeriodDetailOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def transition(request, period_id: int, payload: PeriodTransitionIn):
    """publish (results become visible to the assessed) or reopen."""
    services.period_transition(actor=request.user, period_id=period_id, **payload.dict())
    return period_get(visible_to=request.user, pk=period_id)


@router.get(
    "/assessment/periods/{period_id}/results", response={200: ResultPage, 404: ErrorOut, 422: ErrorOut}
)
def list_results(request, period_id: int):
    """The ranking with each subject's score breakdown; vetoed subjects last, naming the accident."""
    return {"items": list(results(period_get(visible_to=request.user, pk=period_id))), "next": None}


@router.get(
    "/assessment/periods/{period_id}/results.xlsx",
    response={200: None, 404: ErrorOut, 422: ErrorOut},
    openapi_extra={"responses": {200: {"description": "Excel workbook", "content": {XLSX: {}}}}},
)
def export_results(request, period_id: int):
    period = period_get(visible_to=request.user, pk=period_id)
    return xlsx_response(ranking_workbook(period), f"assessment-{period.pk}.xlsx")
