from datetime import datetime
from typing import Annotated, Literal

from ninja import Query, Router, Schema, Status
from ninja.errors import AuthenticationError
from pydantic import Field

from worksafe.core.api import Choice, DbId, ErrorOut
from worksafe.core.pagination import keyset_page
from worksafe.core.schemas import Cursor, JsonBody, Limit
from worksafe.regions.models import REGION_CODE

from . import services
from .auth import AUTH
from .models import Industry, Organization, Role, User
from .selectors import OrganizationFilters, organization_get, organization_search, user_get, user_list

router = Router(tags=["organizations and people"])
auth_router = Router(tags=["auth"])


class TokenIn(JsonBody):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=128)


class TokenOut(Schema):
    token: str
    expires_at: datetime


@auth_router.post("/auth/token", response={200: TokenOut, 401: ErrorOut, 429: ErrorOut}, auth=None)
def issue_token(request, payload: TokenIn):
    issued = services.token_issue(username=payload.username, password=payload.password, request=request)
    if issued is None:
        raise AuthenticationError()
    raw, token = issued
    return {"token": raw, "expires_at": token.expires_at}


@auth_router.post("/auth/revoke", response={204: None, 401: ErrorOut}, auth=AUTH)
def revoke_token(request):
    """Revokes the bearer token this request carries."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        services.token_revoke(actor=request.user, raw=header[7:].strip())
    return Status(204, None)


class IndustryOut(Schema):
    code: str
    name: str


class IndustryPage(Schema):
    items: list[IndustryOut]
    next: str | None = None


@router.get("/industries", response=IndustryPage)
def list_industries(request):
    return {"items": [{"code": c, "name": str(label)} for c, label in Industry.choices], "next": None}


class OrganizationOut(Schema):
    id: int
    kind: str
    name: str
    region: str
    parent: int | None
    uscc: str | None
    industry: str
    industries: list[str]
    can_penalize: bool
    address: str
    legal_representative: str
    safety_principal: str
    contact_phone: str
    staff_count: int | None
    status: str
    version: int

    @staticmethod
    def resolve_region(obj: Organization) -> str:
        return obj.region_id

    @staticmethod
    def resolve_parent(obj: Organization) -> int | None:
        return obj.parent_id


class OrganizationPage(Schema):
    items: list[OrganizationOut]
    next: str | None


class OrganizationIn(JsonBody):
    kind: Choice[Organization.Kind]
    name: str = Field(..., max_length=200)
    region: str = Field(..., max_length=9)
    uscc: str | None = Field(None, max_length=40)
    industry: Industry | Literal[""] = ""
    # codes checked by the service, answering 422 on "industries"
    industries: list[Annotated[str, Field(max_length=32)]] = Field([], max_length=50)
    can_penalize: bool = False
    parent: DbId | None = None
    address: str = Field("", max_length=300)
    legal_representative: str = Field("", max_length=100)
    safety_principal: str = Field("", max_length=100)
    contact_phone: str = Field("", max_length=40)
    staff_count: int | None = Field(None, ge=0, le=10_000_000)
    status: Choice[Organization.Status] = Organization.Status.OPERATING
    uscc_override_reason: str = Field("", max_length=500)


class OrganizationQuery(Schema):
    kind: Choice[Organization.Kind] | None = None
    region: str | None = Field(None, pattern=REGION_CODE)
    industry: Industry | None = None
    q: str | None = Field(None, max_length=100)
    cursor: Cursor | None = None
    limit: Limit | None = None


@router.get("/organizations", response={200: OrganizationPage, 422: ErrorOut})
def list_organizations(request, query: Query[OrganizationQuery]):
    """Filtered as the directory page is: `q` finds a name or a unified social credit code."""
    filters = OrganizationFilters(**query.dict(exclude={"cursor", "limit"}))
    queryset = organization_search(visible_to=request.user, filters=filters)
    items, cursor = keyset_page(queryset, cursor=query.cursor, limit=query.limit)
    return {"items": items, "next": cursor}


@router.get("/organizations/{org_id}", response={200: OrganizationOut, 404: ErrorOut})
def get_organization(request, org_id: int):
    return organization_get(visible_to=request.user, pk=org_id)


@router.post("/organizations", response={201: OrganizationOut, 403: ErrorOut, 422: ErrorOut})
def create_organization(request, payload: OrganizationIn):
    return Status(201, services.organization_create(actor=request.user, **payload.dict()))


class OrganizationPatch(JsonBody):
    """The fields to change, and the version read; the kind never changes."""

    version: int
    name: str | None = Field(None, max_length=200)
    region: str | None = Field(None, max_length=9)
    uscc: str | None = Field(None, max_length=40)
    industry: str | None = Field(None, max_length=32)
    industries: list[Annotated[str, Field(max_length=32)]] | None = Field(None, max_length=50)
    can_penalize: bool | None = None
    parent: DbId | None = None
    address: str | None = Field(None, max_length=300)
    legal_representative: str | None = Field(None, max_length=100)
    safety_principal: str | None = Field(None, max_length=100)
    staff_count: int | None = Field(None, ge=0, le=10_000_000)
    status: str | None = Field(None, max_length=20)
    uscc_override_reason: str | None = Field(None, max_length=500)


@router.patch(
    "/organizations/{org_id}",
    response={200: OrganizationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def update_organization(request, org_id: int, payload: OrganizationPatch):
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    return services.organization_update(
        actor=request.user, organization_id=org_id, version=version, **changes
    )


class UserOut(Schema):
    id: int
    username: str
    name: str
    email: str
    organization: int | None
    role: str
    is_active: bool

    @staticmethod
    def resolve_organization(obj: User) -> int | None:
        return obj.organization_id


class UserPage(Schema):
    items: list[UserOut]
    next: str | None


class UserIn(JsonBody):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=128)
    name: str = Field("", max_length=100)
    email: str = Field("", max_length=254)
    organization: DbId | None = None
    role: Role
    must_change_password: bool = False


class UserPatch(JsonBody):
    name: str | None = Field(None, max_length=100)
    email: str | None = Field(None, max_length=254)
    organization: DbId | None = None
    role: Role | None = None
    is_active: bool | None = None


class TemporaryPasswordOut(Schema):
    temporary_password: str


@router.get("/users/me", response=UserOut)
def me(request):
    return request.user


@router.get("/users", response={200: UserPage, 422: ErrorOut})
def list_users(
    request,
    role: Role | None = None,
    organization: DbId | None = None,
    cursor: Cursor | None = None,
    limit: Limit | None = None,
):
    queryset = user_list(visible_to=request.user)
    if role:
        queryset = queryset.filter(role=role)
    if organization:
        queryset = queryset.filter(organization_id=organization)
    items, next_cursor = keyset_page(queryset, cursor=cursor, limit=limit)
    return {"items": items, "next": next_cursor}


@router.get("/users/{user_id}", response={200: UserOut, 404: ErrorOut})
def get_user(request, user_id: int):
    return user_get(visible_to=request.user, pk=user_id)


@router.post("/users", response={201: UserOut, 403: ErrorOut, 422: ErrorOut})
def create_user(request, payload: UserIn):
    return Status(201, services.user_create(actor=request.user, **payload.dict()))


@router.patch("/users/{user_id}", response={200: UserOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def update_user(request, user_id: int, payload: UserPatch):
    return services.user_update(actor=request.user, user_id=user_id, **payload.dict(exclude_unset=True))


@router.post(
    "/users/{user_id}/reset-password",
    response={200: TemporaryPasswordOut, 403: ErrorOut, 404: ErrorOut},
)
def reset_password(request, user_id: int):
    """A temporary password, shown in this answer only; its holder must change it at next login."""
    _user, password = services.user_password_reset(actor=request.user, user_id=user_id)
    return {"temporary_password": password}
