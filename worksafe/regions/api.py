from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from worksafe.core.api import ErrorOut
from worksafe.core.errors import Forbidden, Invalid, NotFound
from worksafe.core.schemas import JsonBody
from worksafe.orgs.models import Role

from .models import Region, code_validator
from .selectors import region_get, region_list
from .services import region_create

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
    code: str
    name: str
    parent: str | None = None
    edition: str = ""


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
    if request.user.role != Role.ADMIN:
        raise Forbidden(_("Only an administrator adds regions."))
    if not code_validator.regex.match(payload.code or ""):
        raise Invalid.field("code", code_validator.message)
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
