"""How pages answer the services' domain errors, and page through lists, the same way in every
module."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .errors import DomainError, Forbidden, Invalid, NotFound, StaleVersion
from .pagination import keyset_page_sorted

STALE = _("Someone changed this record meanwhile; here is the current state.")


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
    for field, messages_ in exc.errors.items():
        for message in messages_:
            if field in form.fields:
                form.add_error(field, str(message))
            else:
                form.add_error(None, f"{field}: {message}" if "." in field else str(message))


def call_service(request, call: Callable, *, form=None, stale=STALE):
    """Runs a service for a page: its result, or None once the error is shown. Out of scope is
    a 404 page and a forbidden action a 403 page with its reason. Any other error goes next to
    the form's fields, or without a form into the page's messages (a stale version as the
    warning `stale`). A stale form is marked `stale`, so the page can show the current record."""
    try:
        return call()
    except StaleVersion as exc:
        if form is None:
            messages.warning(request, stale)
        else:
            form.stale = True
            show_errors(form, exc)
    except DomainError as exc:
        raise_for_page(exc)
        if form is not None:
            show_errors(form, exc)
        else:
            messages.error(request, str(exc.detail))
    return None


def forbidden(request, reason) -> HttpResponse:
    """The 403 page with the rule's reason."""
    return render(request, "403.html", {"reason": reason}, status=403)


def cursor_page(queryset, request, *, order: str = "-pk", size: int):
    """One keyset page of `queryset` from the request's `cursor`."""
    try:
        return keyset_page_sorted(queryset, order=order, cursor=request.GET.get("cursor") or None, limit=size)
    except Invalid:
        # A mangled cursor starts over at the first page instead of failing.
        return keyset_page_sorted(queryset, order=order, cursor=None, limit=size)


def query_without(request, *names: str) -> str:
    """The page's query string without its cursor (and `names`), for links that start over."""
    params = request.GET.copy()
    for name in ("cursor", *names):
        params.pop(name, None)
    return params.urlencode()
