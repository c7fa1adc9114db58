"""Keyset pagination: stable order by descending primary key, an opaque cursor, no OFFSET.

Ordering by the primary key alone keeps every page an index range scan at any depth; the id
grows with creation time, so newest-first is what users expect from a register.
"""

import base64
import binascii
import json

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .errors import Invalid

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"k{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith("k"):
            raise ValueError(raw)
        value = int(raw[1:])
        if value < 0 or value > 2**63 - 1:  # beyond a 64-bit key: no row, and SQLite would overflow
            raise ValueError(raw)
        return value
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Invalid.field("cursor", _("Invalid cursor.")) from None


def clamp_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    if limit < 1 or limit > MAX_LIMIT:
        raise Invalid.field("limit", _("Must be between 1 and %(max)s.") % {"max": MAX_LIMIT})
    return limit


def keyset_page(queryset: QuerySet, *, cursor: str | None, limit: int | None) -> tuple[list, str | None]:
    """One page of `queryset` newest first, and the cursor of the next page (None at the end)."""
    size = clamp_limit(limit)
    if cursor:
        queryset = queryset.filter(pk__lt=decode_cursor(cursor))
    rows = list(queryset.order_by("-pk")[: size + 1])
    if len(rows) > size:
        rows = rows[:size]
        return rows, encode_cursor(rows[-1].pk)
    return rows, None


def _encode_sorted(value, last_id: int) -> str:
    raw = json.dumps([value.isoformat() if hasattr(value, "isoformat") else value, last_id])
    return base64.urlsafe_b64encode(f"s{raw}".encode()).decode().rstrip("=")


def _decode_sorted(cursor: str) -> tuple[str, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith("s"):
            raise ValueError(raw)
        value, last_id = json.loads(raw[1:])
        if not isinstance(value, str) or not isinstance(last_id, int) or not 0 <= last_id <= 2**63 - 1:
            raise ValueError(raw)
        return value, last_id
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise Invalid.field("cursor", _("Invalid cursor.")) from None


def keyset_page_sorted(
    queryset: QuerySet, *, order: str, cursor: str | None, limit: int | None
) -> tuple[list, str | None]:
    """keyset_page ordered by one non-null field (`"due_date"`, or `"-level"` for descending)
    with the primary key as tie-break in the same direction: still no OFFSET, any depth."""
    if order == "-pk":
        return keyset_page(queryset, cursor=cursor, limit=limit)
    size = clamp_limit(limit)
    field = order.lstrip("-")
    descending = order.startswith("-")
    if cursor:
        value, last_id = _decode_sorted(cursor)
        after, tie = ("lt", "lt") if descending else ("gt", "gt")
        queryset = queryset.filter(
            Q(**{f"{field}__{after}": value}) | Q(**{field: value, f"pk__{tie}": last_id})
        )
    direction = "-" if descending else ""
    rows = list(queryset.order_by(f"{direction}{field}", f"{direction}pk")[: size + 1])
    if len(rows) > size:
        rows = rows[:size]
        return rows, _encode_sorted(getattr(rows[-1], field), rows[-1].pk)
    return rows, None
