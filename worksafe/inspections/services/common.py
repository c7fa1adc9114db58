"""What the inspection services share."""

from django.conf import settings
from django.utils.translation import gettext as _

from worksafe.core.errors import Invalid


def due_days(level: str) -> int:
    """Days to rectify proposed by level when an inspection registers a hidden danger."""
    return settings.WORKSAFE_INSPECTION_DUE_DAYS[level]


def raise_invalid(errors: dict) -> None:
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
