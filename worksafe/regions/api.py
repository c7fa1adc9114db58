from ninja import Router, Schema, Status
from pydantic import Field

from worksafe.core.api import ErrorOut
from worksafe.core.errors import NotFound
from worksafe.core.schemas import JsonBody

from .models import Region, code_validator
from .selectors import region_get, region_list
from .services import region_create, region_update

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None
    edition: str

    @staticmethod
    def resolve_parent(obj: Region) -> str | None:
        return obj.parent_id


class RegionPage(Schema):
    items: list[RegionOut]
    next: str | None = None


class RegionIn(JsonBody):
    code: str = Field(..., max_length=9)
    name: str = Field(..., max_length=100)
    parent: str | None = Field(None, max_length=9)
    edition: str = Field("", max_length=10)


@router.get("/regions", response={200: RegionPage, 404: ErrorOut})
def list_regions(request, parent: str | None = None):
    """Children of `parent`, or the top-level regions. A region's children are few, so one page holds them."""
    if parent is not None and region_get(parent) is None:
        raise NotFound()
    return {"items": list(region_list(parent=parent)), "next": None}


@router.get("/regions/{code}", response={200: RegionOut, 404: ErrorOut})
def get_region(request, code: str):
    # Anything but a well-formed code names no region (and never reaches the database).
    region = region_get(code) if code_validator.regex.match(code) else None
    if region is None:
        raise NotFound()
    return region


@router.post("/regions", response={201: RegionOut, 403: ErrorOut, 422: ErrorOut})
def create_region(request, payload: RegionIn):
    return Status(
        201,
        region_create(
            actor=request.user,
            code=payload.code,
            name=payload.name,
            parent=payload.parent,
            edition=payload.edition,
        ),
    )


class RegionPatch(JsonBody):
    name: str | None = Field(None, max_length=100)
    edition: str | None = Field(None, max_length=10)


@router.patch("/regions/{code}", response={200: RegionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def update_region(request, code: str, payload: RegionPatch):
    """Renames a region or sets its code edition; the code and the parent never change."""
    return region_update(actor=request.user, code=code, **payload.dict(exclude_unset=True))
