"""How pages answer the services' domain errors, the same way in every module."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .errors import DomainError, Forbidden, NotFound


def raise_for_page(exc: DomainError) -> None:
    """Out of scope is a 404 page, a forbidden action a 403 page with its reason; any other
    error returns so the caller can show it on the form."""
    if isinstance(exc, NotFound):
        raise Http404 from exc
    if isinstance(exc, Forbidden):
        raise PermissionDenied(str(exc.detail)) from exc


def show_errors(form, exc: DomainError) -> None:
    """A service's errors next to the fields they name; the rest above the form."""
    if not exc.errors:
        form.add_error(None, str(exc.detail))
    for field, messages in exc.errors.items():
        for message in messages:
            if field in form.fields:
                form.add_error(field, str(message))
            else:
                form.add_error(None, f"{field}: {message}" if "." in field else str(message))


def save_form(form, call):
    """Runs a service for a valid form: its result, or None with the service's errors put on
    the form (out of scope and forbidden are raised as their pages)."""
    try:
        return call()
    except DomainError as exc:
        raise_for_page(exc)
        show_errors(form, exc)
        return None
