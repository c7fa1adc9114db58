"""The accident API's request and response shapes."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from worksafe.audit.schemas import EventOut
from worksafe.core.api import Choice, DbId, IsoDate
from worksafe.core.schemas import Cursor, JsonBody, Limit, Money
from worksafe.orgs.models import Industry
from worksafe.regions.models import REGION_CODE

from .models import Accident, AccidentType, Decision, Grade, Investigation, ReportDuty

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
