from ninja import Query, Router, Status

from worksafe.core.api import Choice, ErrorOut
from worksafe.core.pagination import keyset_page

from . import services
from .models import Track
from .schemas import (
    AccidentIn,
    AccidentOut,
    AccidentPage,
    AccidentPatch,
    AccidentQuery,
    ConcludeIn,
    DecisionIn,
    DecisionOut,
    DecisionPage,
    DutyFlagIn,
    DutyOut,
    DutyPage,
    DutyReportIn,
    EventPage,
    ExtendIn,
    GradeHistoryPage,
    HistoryOut,
    InvestigationOut,
    InvestigationPatch,
    ProposalOut,
    ProposalQuery,
    TrackIn,
    TrackOut,
)
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


def _page(items):
    return {"items": items, "next": None}


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
