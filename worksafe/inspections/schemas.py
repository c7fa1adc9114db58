from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import Field
from pydantic import ValidationError as PydanticError

from worksafe.core.api import Choice, DbId, ErrorOut, IsoDate, StrictParser
from worksafe.core.errors import Invalid, NotFound
from worksafe.core.pagination import keyset_page
from worksafe.core.schemas import Cursor, JsonBody, Limit, Money
from worksafe.core.uploads import attachment_response
from worksafe.orgs.models import Industry, Organization
from worksafe.regions.models import REGION_CODE

from . import services
from .models import (
    Answer,
    Enforcement,
    Finding,
    Inspection,
    InspectionPlan,
    Opinion,
)
from .penalties import FINE_RANGES
from .selectors import (
    EnforcementFilters,
    InspectionFilters,
    activity,
    checklist_get,
    checklist_list,
    enforcement_get,
    enforcement_search,
    inspection_counts,
    inspection_get,
    inspection_search,
    opinion_get,
    opinion_list,
    photo_get,
    plan_get,
    plan_list,
    reinspection_list,
    resumption_case_list,
)

router = Router(tags=["inspections"])

E4 = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


# --- schemas --------------------------------------------------------------------------------


class InspectionOut(Schema):
    id: int
    target: int
    target_name: str
    kind: str
    planned_on: date
    checklist: int | None
    status: str
    team: list[int]
    region: str
    industry: str
    organizer: int | None
    plan: int | None
    started_at: datetime | None
    finished_at: datetime | None
    start_lat: Decimal | None
    start_lng: Decimal | None
    found_operating: bool | None
    note: str
    version: int

    @staticmethod
    def resolve_target(obj: Inspection) -> int:
        return obj.target_id

    @staticmethod
    def resolve_target_name(obj: Inspection) -> str:
        return obj.target.name

    @staticmethod
    def resolve_checklist(obj: Inspection) -> int | None:
        return obj.checklist_id

    @staticmethod
    def resolve_team(obj: Inspection) -> list[int]:
        return sorted(member.pk for member in obj.team.all())

    @staticmethod
    def resolve_region(obj: Inspection) -> str:
        return obj.region_id

    @staticmethod
    def resolve_organizer(obj: Inspection) -> int | None:
        return obj.organizer_id

    @staticmethod
    def resolve_plan(obj: Inspection) -> int | None:
        return obj.plan_id


class AnswerOut(Schema):
    item: int
    result: str
    note: str
    hazard: int | None

    @staticmethod
    def resolve_item(obj) -> int:
        return obj.item_id

    @staticmethod
    def resolve_hazard(obj) -> int | None:
        return obj.hazard_id


class FindingOut(Schema):
    id: int
    title: str
    description: str
    location: str
    level: str
    hazard: int | None

    @staticmethod
    def resolve_hazard(obj: Finding) -> int | None:
        return obj.hazard_id


class InspectionDetail(InspectionOut):
    answered: int
    items: int
    answers: list[AnswerOut]
    findings: list[FindingOut]
    hazards: list[int]
    opinions: list[int]

    @staticmethod
    def resolve_answered(obj: Inspection) -> int:
        return len(obj.answers.all())

    @staticmethod
    def resolve_items(obj: Inspection) -> int:
        return len(obj.checklist.items.all()) if obj.checklist_id else 0

    @staticmethod
    def resolve_answers(obj: Inspection) -> list:
        return list(obj.answers.all())

    @staticmethod
    def resolve_findings(obj: Inspection) -> list:
        return list(obj.findings.all())

    @staticmethod
    def resolve_hazards(obj: Inspection) -> list[int]:
        ids = [a.hazard_id for a in obj.answers.all() if a.hazard_id]
        return ids + [f.hazard_id for f in obj.findings.all() if f.hazard_id]

    @staticmethod
    def resolve_opinions(obj: Inspection) -> list[int]:
        return [o.pk for o in obj.opinions.all()]


class InspectionPage(Schema):
    items: list[InspectionOut]
    next: str | None


class InspectionIn(JsonBody):
    target: DbId
    kind: Choice[Inspection.Kind]
    planned_on: IsoDate
    checklist: DbId | None = None
    team: list[DbId] | None = Field(None, max_length=50)
    note: str = Field("", max_length=5000)


class InspectionQuery(Schema):
    status: Choice[Inspection.Status] | None = None
    kind: Choice[Inspection.Kind] | None = None
    target: DbId | None = None
    cursor: Cursor | None = None
    limit: Limit | None = None


class StartIn(JsonBody):
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)


class FinishIn(JsonBody):
    found_operating: bool | None = None
    # false: unanswered checklist items answer 422 on `items` naming how many are left. Left
    # out (or an empty body, which design.md says finish accepts) it finishes as it always did.
    allow_unanswered: bool | None = None


class CancelIn(JsonBody):
    note: str = Field("", max_length=2000)


class AnswerIn(JsonBody):
    item: DbId
    result: Choice[Answer.Result]
    note: str = Field("", max_length=5000)


class FindingIn(JsonBody):
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=10000)
    location: str = Field("", max_length=200)
    level: Choice[Finding.Level] = Finding.Level.GENERAL


class PhotoOut(Schema):
    id: int
    item: int | None
    finding: int | None
    content_type: str
    size: int
    sha256: str

    @staticmethod
    def resolve_item(obj) -> int | None:
        return obj.item_id

    @staticmethod
    def resolve_finding(obj) -> int | None:
        return obj.finding_id


class CountsOut(Schema):
    total: int
    by_status: dict[str, int]
    by_kind: dict[str, int]


class ItemOut(Schema):
    id: int
    position: int
    text: str
    gloss: str
    is_major: bool
    source: str


class ChecklistOut(Schema):
    id: int
    code: str
    version: int
    industry: str
    name: str
    source: str
    owner: int | None
    based_on: int | None
    is_active: bool

    @staticmethod
    def resolve_owner(obj) -> int | None:
        return obj.owner_id

    @staticmethod
    def resolve_based_on(obj) -> int | None:
        return obj.based_on_id


class ChecklistDetail(ChecklistOut):
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj) -> list:
        return list(obj.items.all())


class ChecklistPage(Schema):
    items: list[ChecklistOut]
    next: str | None


class ChecklistQuery(Schema):
    industry: Industry | None = None
    cursor: Cursor | None = None
    limit: Limit | None = None


class CopyIn(JsonBody):
    name: str = Field("", max_length=200)


class ItemIn(JsonBody):
    text: str = Field(..., max_length=2000)
    gloss: str = Field("", max_length=2000)
    is_major: bool = False
    source: str = Field("", max_length=300)


class PlanCriteria(JsonBody):
    industry: Industry | None = None
    region: str | None = Field(None, pattern=REGION_CODE)
    status: Choice[Organization.Status] | None = None
    with_open_major_hazards: bool = False
    days_since_last_inspection: int | None = Field(None, ge=1, le=3650)


class PlanIn(JsonBody):
    name: str = Field(..., max_length=200)
    method: Choice[InspectionPlan.Method]
    kind: Choice[Inspection.Kind]
    planned_on: IsoDate
    target_count: int = Field(..., ge=1, le=500)
    team_size: int = Field(2, ge=1, le=10)
    seed: str = Field("", max_length=64)
    pool: list[DbId] | None = Field(None, max_length=500)
    criteria: PlanCriteria = PlanCriteria()


class PlanOut(Schema):
    id: int
    name: str
    method: str
    criteria: dict
    seed: str
    target_count: int
    team_size: int
    candidates: list[int]
    pool: list[int]
    draw: list[dict]
    created_at: datetime


class OpinionOut(Schema):
    id: int
    inspection: int
    addressee: int
    text: str
    is_major: bool
    deadline: date
    status: str
    overdue: bool
    version: int

    @staticmethod
    def resolve_inspection(obj) -> int:
        return obj.inspection_id

    @staticmethod
    def resolve_addressee(obj) -> int:
        return obj.addressee_id

    @staticmethod
    def resolve_overdue(obj: Opinion) -> bool:
        return obj.overdue


class OpinionPage(Schema):
    items: list[OpinionOut]
    next: str | None


class OpinionActIn(JsonBody):
    action: Literal[*Opinion.TRANSITIONS]
    version: int
    note: str = Field("", max_length=5000)


class EnforcementOut(Schema):
    id: int
    target: int
    target_name: str
    kind: str
    issued_by: int
    issued_by_name: str
    amount: Decimal | None
    legal_article: str
    legal_basis: str
    number: str
    description: str
    deadline: date | None
    status: str
    inspection: int | None
    referred_to: int | None
    referral: int | None
    created_at: datetime
    version: int

    @staticmethod
    def resolve_target(obj) -> int:
        return obj.target_id

    @staticmethod
    def resolve_target_name(obj) -> str:
        return obj.target.name

    @staticmethod
    def resolve_issued_by(obj) -> int:
        return obj.issued_by_id

    @staticmethod
    def resolve_issued_by_name(obj) -> str:
        return obj.issued_by.name

    @staticmethod
    def resolve_inspection(obj) -> int | None:
        return obj.inspection_id

    @staticmethod
    def resolve_referred_to(obj) -> int | None:
        return obj.referred_to_id

    @staticmethod
    def resolve_referral(obj) -> int | None:
        return obj.referral_id


class EnforcementPage(Schema):
    items: list[EnforcementOut]
    next: str | None


class EnforcementIn(JsonBody):
    target: DbId
    kind: Choice[Enforcement.Kind]
    amount: Money | None = None
    legal_article: str = Field("", max_length=40, description="A code from /enforcement/legal-articles")
    legal_basis: str = Field("", max_length=300)
    number: str = Field("", max_length=60)
    description: str = Field("", max_length=10000)
    deadline: IsoDate | None = None
    inspection: DbId | None = None
    referred_to: DbId | None = None
    referral: DbId | None = None


class LegalArticleOut(Schema):
    code: str
    citation: str
    label: str
    minimum: Decimal | None
    maximum: Decimal


class LegalArticlePage(Schema):
    items: list[LegalArticleOut]


class EnforcementQuery(Schema):
    kind: Choice[Enforcement.Kind] | None = None
    status: Choice[Enforcement.Status] | None = None
    target: DbId | None = None
    cursor: Cursor | None = None
    limit: Limit | None = None


class VersionIn(JsonBody):
    version: int
    note: str = Field("", max_length=2000)


class ReinspectionOut(Schema):
    id: int
    name: str
    region: str
    industry: str
    status: str
    resumption_cases: int

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id


class ReinspectionPage(Schema):
    items: list[ReinspectionOut]
    next: str | None


class ResumptionOut(Schema):
    id: int
    enterprise: int
    enterprise_name: str
    inspection: int
    enterprise_status: str
    created_at: datetime

    @staticmethod
    def resolve_enterprise(obj) -> int:
        return obj.enterprise_id

    @staticmethod
    def resolve_enterprise_name(obj) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_inspection(obj) -> int:
        return obj.inspection_id


class ResumptionPage(Schema):
    items: list[ResumptionOut]
    next: str | None


class ActivityOut(Schema):
    kind: str
    id: int
    name: str
    department: str
    inspections: int
    hazards: int
    enforcement: int
    only_inspects: bool


class ActivityPage(Schema):
    start: date
    end: date
    items: list[ActivityOut]


class ActivityQuery(Schema):
    start: IsoDate | None = None
    end: IsoDate | None = None


# --- inspections ----------------------------------------------------------------------------


def _optional_body(request, schema: type[Schema]):
    """Actions accept an empty body (design.md): parse one only when present, with the API's
    own parser like any other body (it refuses what PostgreSQL cannot store, such as NUL)."""
    if not request.body.strip():
        return schema()
    try:
        data = StrictParser().parse_body(request)
    except Exception:  # as ninja answers any body it cannot parse
        raise HttpError(400, _("Malformed request.")) from None
    try:
        return schema.model_validate(data)
    except PydanticError as exc:
        errors: dict[str, list[str]] = {}
        for item in exc.errors():
            field = ".".join(str(p) for p in item.get("loc", ())) or "__all__"
            errors.setdefault(field, []).append(item.get("msg", ""))
        raise Invalid(_("Please correct the marked fields."), errors) from None


def _body_doc(schema: type[Schema]) -> dict:
    return {
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": schema.model_json_schema()}},
        }
    }


@router.get("/inspections", response={200: InspectionPage, 422: ErrorOut})
def list_inspections(request, query: Query[InspectionQuery]):
    filters = InspectionFilters(**query.dict(exclude={"cursor", "limit"}))
    queryset = inspection_search(visible_to=request.user, filters=filters)
    items, cursor = keyset_page(queryset, cursor=query.cursor, limit=query.limit)
    return {"items": items, "next": cursor}


@router.post("/inspections", response={201: InspectionDetail, 403: ErrorOut, 422: ErrorOut})
def create_inspection(request, payload: InspectionIn):
    inspection = services.inspection_create(actor=request.user, **payload.dict())
    return Status(201, inspection_get(visible_to=request.user, pk=inspection.pk))


@router.get("/inspections/stats", response={200: CountsOut})
def inspection_stats(request):
    """Counts over the inspections the caller may see (unannounced ones stay hidden from their
    target until they start)."""
    return inspection_counts(visible_to=request.user)


@router.get("/inspections/activity", response={200: ActivityPage, 422: ErrorOut})
def inspection_activity(request, query: Query[ActivityQuery]):
    """Per department and inspector: inspections, hidden dangers found and enforcement actions
    over a period (default: the last 90 days), to see who inspects but never enforces."""
    end = query.end or timezone.localdate()
    start = query.start or date.fromordinal(end.toordinal() - 89)
    if start > end:
        raise Invalid.field("start", _("The start must not be after the end."))
    return {"start": start, "end": end, "items": activity(visible_to=request.user, start=start, end=end)}


@router.get("/inspections/{inspection_id}", response={200: InspectionDetail, 404: ErrorOut})
def get_inspection(request, inspection_id: int):
    return inspection_get(visible_to=request.user, pk=inspection_id)


@router.post(
    "/inspections/{inspection_id}/start",
    response={200: InspectionDetail, **E4},
    openapi_extra=_body_doc(StartIn),
)
def start_inspection(request, inspection_id: int):
    """Start on site; the body may be empty or carry the phone's position."""
    payload = _optional_body(request, StartIn)
    services.inspection_start(
        actor=request.user, inspection_id=inspection_id, lat=payload.lat, lng=payload.lng
    )
    return inspection_get(visible_to=request.user, pk=inspection_id)


@router.post(
    "/inspections/{inspection_id}/finish",
    response={200: InspectionDetail, **E4},
    openapi_extra=_body_doc(FinishIn),
)
def finish_inspection(request, inspection_id: int):
    """Register every failed item and finding as a hidden danger (supervision: as opinions),
    with the photos taken on them as its "before" evidence. Unanswered checklist items answer
    422 on `items` when `allow_unanswered` is false; left out, it finishes anyway, as the
    first version of this endpoint did (`answered` and `items` in the answer tell). Finishing again answers the same result
    and registers nothing twice."""
    payload = _optional_body(request, FinishIn)
    services.inspection_finish(
        actor=request.user,
        inspection_id=inspection_id,
        found_operating=payload.found_operating,
        allow_unanswered=payload.allow_unanswered is not False,
    )
    return inspection_get(visible_to=request.user, pk=inspection_id)


@router.post(
    "/inspections/{inspection_id}/cancel",
    response={200: InspectionDetail, **E4},
    openapi_extra=_body_doc(CancelIn),
)
def cancel_inspection(request, inspection_id: int):
    payload = _optional_body(request, CancelIn)
    services.inspection_cancel(actor=request.user, inspection_id=inspection_id, note=payload.note)
    return inspection_get(visible_to=request.user, pk=inspection_id)


@router.post("/inspections/{inspection_id}/answers", response={200: AnswerOut, **E4})
def answer_item(request, inspection_id: int, payload: AnswerIn):
    return services.inspection_answer(actor=request.user, inspection_id=inspection_id, **payload.dict())


@router.post("/inspections/{inspection_id}/findings", response={201: FindingOut, **E4})
def add_finding(request, inspection_id: int, payload: FindingIn):
    return Status(
        201, services.finding_add(actor=request.user, inspection_id=inspection_id, **payload.dict())
    )


@router.post("/inspections/{inspection_id}/photos", response={201: PhotoOut, **E4})
def add_photo(
    request,
    inspection_id: int,
    file: File[UploadedFile],
    item: Form[DbId | None] = None,
    finding: Form[DbId | None] = None,
):
    photo = services.photo_add(
        actor=request.user, inspection_id=inspection_id, upload=file, item=item, finding=finding
    )
    return Status(201, photo)


@router.get("/inspections/{inspection_id}/photos/{photo_id}", response={200: None, 404: ErrorOut})
def download_photo(request, inspection_id: int, photo_id: int):
    """A photo taken during the inspection, as an attachment of the type judged at upload."""
    photo = photo_get(visible_to=request.user, inspection_id=inspection_id, photo_id=photo_id)
    if photo is None:
        raise NotFound()
    return attachment_response(photo.file, photo.content_type)


# --- checklists -----------------------------------------------------------------------------


@router.get("/checklists", response={200: ChecklistPage, 422: ErrorOut})
def list_checklists(request, query: Query[ChecklistQuery]):
    queryset = checklist_list(visible_to=request.user)
    if query.industry:
        queryset = queryset.filter(industry=query.industry)
    items, cursor = keyset_page(queryset, cursor=query.cursor, limit=query.limit)
    return {"items": items, "next": cursor}


@router.get("/checklists/{checklist_id}", response={200: ChecklistDetail, 404: ErrorOut})
def get_checklist(request, checklist_id: int):
    return checklist_get(visible_to=request.user, pk=checklist_id)


@router.post(
    "/checklists/{checklist_id}/copy", response={201: ChecklistDetail, **E4}, openapi_extra=_body_doc(CopyIn)
)
def copy_checklist(request, checklist_id: int):
    payload = _optional_body(request, CopyIn)
    copy = services.checklist_copy(actor=request.user, template_id=checklist_id, name=payload.name)
    return Status(201, checklist_get(visible_to=request.user, pk=copy.pk))


@router.post("/checklists/{checklist_id}/items", response={201: ItemOut, **E4})
def add_checklist_item(request, checklist_id: int, payload: ItemIn):
    return Status(
        201, services.checklist_item_add(actor=request.user, template_id=checklist_id, **payload.dict())
    )


@router.delete("/checklists/{checklist_id}/items/{item_id}", response={204: None, **E4})
def remove_checklist_item(request, checklist_id: int, item_id: int):
    services.checklist_item_remove(actor=request.user, template_id=checklist_id, item_id=item_id)
    return Status(204, None)


# --- plans ----------------------------------------------------------------------------------


class PlanPage(Schema):
    items: list[PlanOut]
    next: str | None


@router.get("/inspection-plans", response={200: PlanPage, 422: ErrorOut})
def list_plans(request, cursor: Cursor | None = None, limit: Limit | None = None):
    items, next_cursor = keyset_page(plan_list(visible_to=request.user), cursor=cursor, limit=limit)
    return {"items": items, "next": next_cursor}


@router.post("/inspection-plans", response={201: PlanOut, 403: ErrorOut, 422: ErrorOut})
def create_plan(request, payload: PlanIn):
    """Pick targets by rule or at random with a recorded seed ("double random"); one
    inspection is planned per target with its drawn team."""
    data = payload.dict()
    data["criteria"] = payload.criteria.dict()
    return Status(201, services.plan_create(actor=request.user, **data))


@router.get("/inspection-plans/{plan_id}", response={200: PlanOut, 404: ErrorOut})
def get_plan(request, plan_id: int):
    return plan_get(visible_to=request.user, pk=plan_id)


# --- rectification opinions -----------------------------------------------------------------


@router.get("/opinions", response={200: OpinionPage, 422: ErrorOut})
def list_opinions(request, cursor: Cursor | None = None, limit: Limit | None = None):
    items, next_cursor = keyset_page(opinion_list(visible_to=request.user), cursor=cursor, limit=limit)
    return {"items": items, "next": next_cursor}


@router.get("/opinions/{opinion_id}", response={200: OpinionOut, 404: ErrorOut})
def get_opinion(request, opinion_id: int):
    return opinion_get(visible_to=request.user, pk=opinion_id)


@router.post("/opinions/{opinion_id}/transition", response={200: OpinionOut, 409: ErrorOut, **E4})
def act_on_opinion(request, opinion_id: int, payload: OpinionActIn):
    """report (progress) | submit | accept | reject."""
    return services.opinion_act(actor=request.user, opinion_id=opinion_id, **payload.dict())


# --- enforcement ----------------------------------------------------------------------------


@router.get("/enforcement", response={200: EnforcementPage, 422: ErrorOut})
def list_enforcement(request, query: Query[EnforcementQuery]):
    filters = EnforcementFilters(**query.dict(exclude={"cursor", "limit"}))
    queryset = enforcement_search(visible_to=request.user, filters=filters)
    items, cursor = keyset_page(queryset, cursor=query.cursor, limit=query.limit)
    return {"items": items, "next": cursor}


@router.post("/enforcement", response={201: EnforcementOut, 403: ErrorOut, 422: ErrorOut})
def create_enforcement(request, payload: EnforcementIn):
    """order_rectify | warning | fine | suspend | close | referral. Only a department that may
    penalize and supervises the target warns, fines, suspends or closes; others refer."""
    action = services.enforcement_create(actor=request.user, **payload.dict())
    return Status(201, enforcement_get(visible_to=request.user, pk=action.pk))


@router.get("/enforcement/legal-articles", response={200: LegalArticlePage})
def list_legal_articles(request):
    """The articles a fine may cite, each with the range in yuan the law allows (minimum null:
    the law sets only an upper limit). A fine citing none of them is bounded by a cap."""
    return {"items": [{**vars(a), "label": str(a.label)} for a in FINE_RANGES]}


@router.get("/enforcement/reinspection", response={200: ReinspectionPage, 422: ErrorOut})
def list_reinspection(request, cursor: Cursor | None = None, limit: Limit | None = None):
    """Suspended or closed enterprises to inspect again, with their unauthorized-resumption cases."""
    items, next_cursor = keyset_page(reinspection_list(visible_to=request.user), cursor=cursor, limit=limit)
    return {"items": items, "next": next_cursor}


@router.get("/enforcement/resumption-cases", response={200: ResumptionPage, 422: ErrorOut})
def list_resumption_cases(request, cursor: Cursor | None = None, limit: Limit | None = None):
    """Enterprises ordered to suspend or close that a later inspection found operating."""
    items, next_cursor = keyset_page(
        resumption_case_list(visible_to=request.user), cursor=cursor, limit=limit
    )
    return {"items": items, "next": next_cursor}


@router.get("/enforcement/{enforcement_id}", response={200: EnforcementOut, 404: ErrorOut})
def get_enforcement(request, enforcement_id: int):
    return enforcement_get(visible_to=request.user, pk=enforcement_id)


@router.post("/enforcement/{enforcement_id}/complete", response={200: EnforcementOut, 409: ErrorOut, **E4})
def complete_enforcement(request, enforcement_id: int, payload: VersionIn):
    services.enforcement_complete(actor=request.user, enforcement_id=enforcement_id, **payload.dict())
    return enforcement_get(visible_to=request.user, pk=enforcement_id)
