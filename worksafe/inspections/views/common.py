"""What the inspection pages share: paging by id and the 403 of a page the rules keep."""

from django.core.exceptions import PermissionDenied

PAGE = 50


def page(queryset, request):
    cursor = request.GET.get("before")
    if cursor and cursor.isdigit():
        queryset = queryset.filter(pk__lt=int(cursor))
    rows = list(queryset.order_by("-pk")[: PAGE + 1])
    more = rows[PAGE - 1].pk if len(rows) > PAGE else None
    return rows[:PAGE], more


def require(allowed: bool) -> None:
    """A page the rules keep from this user answers 403, like the API and like the hidden nav."""
    if not allowed:
        raise PermissionDenied
