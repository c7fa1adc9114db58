"""What every router shares: authentication, the error shape of design.md, list envelopes."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from worksafe.orgs.services import token_user

from .errors import DomainError


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


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
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path", "form", "file", "data")]
    return ".".join(parts) or "__all__"


def install_error_handlers(api: NinjaAPI) -> None:
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


AUTH = [BearerToken(), django_auth]
