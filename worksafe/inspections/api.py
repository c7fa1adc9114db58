from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import ValidationError as PydanticError

from worksafe.core.api import DbId, ErrorOut, StrictParser
from worksafe.core.errors import Invalid, NotFound
from worksafe.core.pagination import keyset_page
from worksafe.core.schemas import Cursor, Limit
from worksafe.core.uploads import attachment_response

from . import services
from .penalties import FINE_RANGES
from .schemas import (
    ActivityPage,
    ActivityQuery,
    AnswerIn,
    AnswerOut,
    CancelIn,
    ChecklistDetail,
    ChecklistPage,
    ChecklistQuery,
    CopyIn,
    CountsOut,
    EnforcementIn,
    EnforcementOut,
    EnforcementPage,
    EnforcementQuery,
    FindingIn,
    FindingOut,
    FinishIn,
    InspectionDetail,
    InspectionIn,
    InspectionPage,
    InspectionQuery,
    ItemIn,
    ItemOut,
    LegalArticlePage,
    OpinionActIn,
    OpinionOut,
    OpinionPage,
    PhotoOut,
    PlanIn,
    PlanOut,
    PlanPage,
    ReinspectionPage,
    ResumptionPage,
    StartIn,
    VersionIn,
)
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
