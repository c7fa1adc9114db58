"""What every router shares: the error shape of design.md, strict parsing, common field types.
Authentication is the orgs app's (orgs/auth.py): core knows no users."""

import re
from datetime import date
from typing import Annotated

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import core_schema

from .dates import in_range, out_of_range_message
from .errors import DomainError
from .text import holds


class _Component:
    """Builds a TextChoices' schema under a name of its own; see `Choice`."""

    def __init__(self, name: str):
        self.name = name

    def __get_pydantic_core_schema__(self, source, handler):
        name = self.name

        def titled(schema, handler):
            json_schema = handler(schema)
            handler.resolve_ref_schema(json_schema)["title"] = name
            return json_schema

        return core_schema.enum_schema(
            source,
            list(source),
            sub_type="str",
            ref=f"{name}:{id(source)}",
            metadata={"pydantic_js_functions": [titled]},
        )


class Choice:
    """`Choice[Hazard.Status]`: a field taking the class's values, documented as the OpenAPI
    component `HazardStatus`. ninja gathers every model's definitions into one components
    section by short class name, so two classes both called `Status` would become one
    component and the last one built would document both."""

    def __class_getitem__(cls, choices):
        return Annotated[choices, _Component(choices.__qualname__.replace(".", ""))]


# An id given in a query or body: beyond a signed 64-bit integer no row can match, and a
# filter on a foreign key with such a number would fail in the database driver (a 500).
DbId = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]


def _iso_date_only(value):
    # Pydantic's lax mode reads a bare number as a Unix timestamp ("0" -> 1970-01-01); a
    # date in this API is written YYYY-MM-DD and nothing else.
    if isinstance(value, (int, float)) or (isinstance(value, str) and not ISO_DATE.fullmatch(value)):
        raise ValueError(_("Enter a date as YYYY-MM-DD."))
    return value


def _date_in_range(value: date) -> date:
    if not in_range(value):
        raise ValueError(out_of_range_message())
    return value


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A calendar date written YYYY-MM-DD, in the years core.dates allows (use for query parameters
# and bodies alike).
IsoDate = Annotated[date, BeforeValidator(_iso_date_only), AfterValidator(_date_in_range)]


class StrictParser(Parser):
    """JSON, query and form parsing that refuses NUL characters and lone surrogates: no text we
    keep may hold one (a 500 deep in a query otherwise). Unauthenticated calls such as
    /auth/token are parsed here too, so they are refused before any credential is looked at."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if holds(data):
            raise ValueError("NUL or lone surrogate in the request body")  # ninja answers 400
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        bad = [key for key, value in result.items() if holds(key) or holds(value)]
        if bad:
            raise ValidationError([{"loc": ("query", key), "msg": _("Invalid character.")} for key in bad])
        return result


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


def error_response(api: NinjaAPI, request, status: int, detail, errors: dict | None = None):
    return api.create_response(
        request,
        {"detail": str(detail), "errors": {k: [str(m) for m in v] for k, v in (errors or {}).items()}},
        status=status,
    )


def _field_of(loc) -> str:
    # ninja locations look like ("body", "payload", "due_date") or ("query", "limit").
    # Only the leading location and the parameter-schema name are dropped: a field may itself be
    # called "file" or "query" (an upload's loc is ("file", "file")).
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "form", "file", "header", "cookie"):
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in ("payload", "filters", "query", "data"):
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def install_error_handlers(api: NinjaAPI) -> None:
    api.parser = StrictParser()

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return error_response(api, request, exc.status, exc.detail, exc.errors)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        errors: dict[str, list[str]] = {}
        for item in exc.errors:
            errors.setdefault(_field_of(item.get("loc", ())), []).append(item.get("msg", _("Invalid value.")))
        return error_response(api, request, 422, _("Please correct the marked fields."), errors)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request, exc):
        return error_response(api, request, 401, _("Authentication required."))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        detail = _("Malformed request.") if exc.status_code == 400 else str(exc)
        return error_response(api, request, exc.status_code, detail)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_response(api, request, 404, _("Not found."))

    # A broken multipart body (no boundary, truncated) or one over Django's size limits is
    # raised when ninja first reads the form: answer it in the API's shape, not an HTML page.
    @api.exception_handler(MultiPartParserError)
    @api.exception_handler(BadRequest)
    @api.exception_handler(SuspiciousOperation)
    def bad_request(request, exc):
        return error_response(api, request, 400, _("Malformed request."))


def declare_error_responses(api: NinjaAPI) -> None:
    """Document the error answers any operation can give, so the OpenAPI document matches
    reality: 401 where authentication is required, 400/422 where a request carries parameters
    or a body, even an optional one (malformed or invalid), 404 where the path names an
    object. Call once, after the last router is added; codes an operation declares itself are
    left as they are."""
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                common = {}
                if operation.auth_callbacks:
                    common[401] = ErrorOut
                if operation.models or "requestBody" in (operation.openapi_extra or {}):
                    common[400] = ErrorOut
                    common[422] = ErrorOut
                if "{" in path:
                    common[404] = ErrorOut
                for status, schema in common.items():
                    if status not in operation.response_models:
                        operation.response_models[status] = operation._create_response_model(schema)
