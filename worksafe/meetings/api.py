"""/api/v1/meetings…: read a published report into a draft, record meetings, read them back."""

from datetime import date, datetime
from typing import Annotated

from ninja import Query, Router, Schema, Status
from pydantic import Field

from worksafe.core.api import Choice, DbId, ErrorOut, IsoDate
from worksafe.core.errors import LONG_TEXT_MAX, TEXT_MAX, TITLE_MAX
from worksafe.core.pagination import keyset_page
from worksafe.core.schemas import Cursor, JsonBody, Limit
from worksafe.orgs.models import Industry
from worksafe.regions.models import REGION_CODE

from . import services
from .models import Meeting
from .selectors import meeting_get, meeting_list

router = Router(tags=["meetings"])


class ParseIn(JsonBody):
    text: str = Field(..., max_length=200_000)
    published_on: IsoDate | None = None
    region: str | None = Field(None, pattern=REGION_CODE)


class DraftDirectiveOut(Schema):
    text: str
    industries: list[str]
    suggested_assignees: list[int]


class DraftOut(Schema):
    language: str
    title: str
    held_on: date | None
    form: str
    chair: str | None
    people: list[str]
    industries: list[str]
    campaigns: list[str]
    directives: list[DraftDirectiveOut]


class DirectiveIn(JsonBody):
    text: str = Field(..., max_length=TEXT_MAX)
    industries: list[Industry] = []


class VenueIn(JsonBody):
    region: str = Field(..., pattern=REGION_CODE)
    attendees: str = Field("", max_length=TEXT_MAX)


class MeetingIn(JsonBody):
    region: str = Field(..., pattern=REGION_CODE)
    title: str = Field(..., max_length=TITLE_MAX)
    held_on: IsoDate
    form: Choice[Meeting.Form] = Meeting.Form.OTHER
    chair: str = Field("", max_length=services.NAME_MAX)
    people: list[Annotated[str, Field(max_length=services.NAME_MAX)]] = Field([], max_length=500)
    industries: list[Industry] = []
    campaigns: list[Annotated[str, Field(max_length=TITLE_MAX)]] = Field([], max_length=100)
    summary: str = Field("", max_length=TEXT_MAX)
    minutes: str = Field("", max_length=LONG_TEXT_MAX)
    relays: DbId | None = None
    directives: list[DirectiveIn] = Field([], max_length=200)
    venues: list[VenueIn] = Field([], max_length=500)


class DirectiveOut(Schema):
    id: int
    text: str
    industries: list[str]


class VenueOut(Schema):
    region: str
    attendees: str

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id


class MeetingOut(Schema):
    id: int
    region: str
    organizer: int
    title: str
    held_on: date
    form: str
    chair: str
    people: list[str]
    industries: list[str]
    campaigns: list[str]
    summary: str
    minutes: str
    relays: int | None
    directives: list[DirectiveOut]
    venues: list[VenueOut]
    tasks: list[int] = []  # the tasks deployed from the meeting's directives
    created_at: datetime
    version: int

    @staticmethod
    def resolve_region(obj: Meeting) -> str:
        return obj.region_id

    @staticmethod
    def resolve_organizer(obj: Meeting) -> int:
        return obj.organizer_id

    @staticmethod
    def resolve_relays(obj: Meeting) -> int | None:
        return obj.relays_id

    @staticmethod
    def resolve_directives(obj: Meeting) -> list:
        return list(obj.directives.all())

    @staticmethod
    def resolve_venues(obj: Meeting) -> list:
        return list(obj.venues.all())

    @staticmethod
    def resolve_tasks(obj: Meeting) -> list[int]:
        return []


class MeetingPage(Schema):
    items: list[MeetingOut]
    next: str | None


class MeetingQuery(Schema):
    cursor: Cursor | None = None
    limit: Limit | None = None


@router.post("/meetings/parse", response={200: DraftOut, 403: ErrorOut, 422: ErrorOut})
def parse_report(request, payload: ParseIn):
    """Read a published meeting report (Chinese or English) into a draft meeting with one
    directive per instruction, each with the departments or lower offices it could go to in
    `region` (the caller's own by default). Saves nothing."""
    return services.report_read(actor=request.user, **payload.dict())


@router.get("/meetings", response={200: MeetingPage, 422: ErrorOut})
def list_meetings(request, query: Query[MeetingQuery]):
    meetings = meeting_list(visible_to=request.user).prefetch_related("directives", "venues")
    items, cursor = keyset_page(meetings, cursor=query.cursor, limit=query.limit)
    return {"items": items, "next": cursor}


@router.post("/meetings", response={201: MeetingOut, 403: ErrorOut, 422: ErrorOut})
def create_meeting(request, payload: MeetingIn):
    meeting = services.meeting_create(actor=request.user, **payload.dict())
    return Status(201, meeting_get(visible_to=request.user, pk=meeting.pk))


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, 404: ErrorOut, 422: ErrorOut})
def get_meeting(request, meeting_id: int):
    return meeting_get(visible_to=request.user, pk=meeting_id)
