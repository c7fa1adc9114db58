"""The calendar range a typed date may take: wider than any record the system keeps, narrow
enough that date arithmetic on it (a period's end + 1 day, 90 days back from an end) never
leaves the range Python can represent (year 1 to 9999), which would be a 500."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_YEAR, MAX_YEAR = 1900, 2199


def out_of_range_message() -> str:
    return _("Enter a date between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}


def in_range(value: date) -> bool:
    return MIN_YEAR <= value.year <= MAX_YEAR


def validate_date_range(value: date | None) -> None:
    """For form fields: a date outside the range is a field error."""
    if value is not None and not in_range(value):
        raise ValidationError(out_of_range_message(), code="date_range")
