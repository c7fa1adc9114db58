"""Checks the accident services share."""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

MAX_COUNT = 100_000


def clean_count(value, field: str, errors: dict, *, required: bool = False) -> int | None:
    if value is None or value == "":
        if required:
            errors.setdefault(field, []).append(_("This field is required."))
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > MAX_COUNT:
        errors.setdefault(field, []).append(_("Enter a whole number, zero or more."))
        return None
    return value


def clean_moment(
    value, field: str, errors: dict, *, now: datetime, required: bool = False
) -> datetime | None:
    if value is None:
        if required:
            errors.setdefault(field, []).append(_("This field is required."))
        return None
    if not 1950 <= value.year <= 2200:
        # Checked first: far dates with an offset overflow when converted to UTC.
        errors.setdefault(field, []).append(_("Enter a real date and time."))
        return None
    if timezone.is_naive(value):
        # A time without offset is read as local time (Asia/Shanghai), as people write it.
        value = timezone.make_aware(value)
    if value > now + timedelta(minutes=5):
        errors.setdefault(field, []).append(_("This time is in the future."))
        return None
    return value
