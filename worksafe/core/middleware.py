"""Refusals every page needs before any view runs."""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

from .text import SURROGATE, holds

API_PREFIX = "/api/"  # the API's own parser checks what it reads and answers in its error shape


def _form_holds(querydict) -> bool:
    return any(holds(key, SURROGATE) or holds(values, SURROGATE) for key, values in querydict.lists())


class RejectSurrogatesMiddleware:
    """A lone surrogate in the path, the query or a posted form answers 400 instead of failing
    deep in a query or a template (a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX) and (
            holds(request.path_info, SURROGATE)
            or _form_holds(request.GET)
            or (request.method == "POST" and _form_holds(request.POST))
        ):
            return HttpResponseBadRequest(_("Malformed request."), content_type="text/plain; charset=utf-8")
        return self.get_response(request)
