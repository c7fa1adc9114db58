"""The inspection API's request and response shapes."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from worksafe.core.api import Choice, DbId, IsoDate
from worksafe.core.schemas import Cursor, JsonBody, Limit, Money
from worksafe.orgs.models import Industry, Organization
from worksafe.regions.models import REGION_CODE

from .models import (
    Answer,
    Enforcement,
    Finding,
    Inspection,
    InspectionPlan,
    Opinion,
)


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


class PlanPage(Schema):
    items: list[PlanOut]
    next: str | None
