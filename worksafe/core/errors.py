"""Domain errors raised by services and selectors; the API and the pages map them to HTTP.

Keeping them free of HTTP lets the same service back both, so the two can never disagree.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 422
    default_detail = _("The request could not be processed.")

    def __init__(self, detail=None, errors: dict | None = None):
        self.detail = detail or self.default_detail
        self.errors = errors or {}
        super().__init__(str(self.detail))


class Invalid(DomainError):
    """Invalid data or a transition the state does not allow: 422, naming the field."""

    status = 422
    default_detail = _("Invalid data.")

    @classmethod
    def field(cls, name: str, message) -> "Invalid":
        return cls(message, {name: [message]})


class Forbidden(DomainError):
    """The object is visible to the user but the action is not theirs: 403."""

    status = 403
    default_detail = _("You are not allowed to do this.")


class NotFound(DomainError):
    """Absent or out of scope (scope must not leak existence): 404."""

    status = 404
    default_detail = _("Not found.")


class StaleVersion(DomainError):
    """The object changed since the caller read it: 409, nothing changed."""

    status = 409

    def __init__(self, current: int):
        self.current = current
        super().__init__(
            _("This record was changed by someone else (now version %(v)s). Reload and try again.")
            % {"v": current},
            {"version": [_("Stale version; the current version is %(v)s.") % {"v": current}]},
        )


class Conflict(DomainError):
    """The action was already done, or is being done by someone else: 409, nothing changed."""

    status = 409
    default_detail = _("This was already done.")


def one_or_not_found(queryset, pk: int):
    """The row `pk` of a scoped queryset; NotFound when it is absent or out of scope alike."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


# Every free text a person writes has a maximum: a title, a note, a description, and the
# longest kept, an accident's summary or causes. Pages and the API say the same limits.
TITLE_MAX = 200
NOTE_MAX = 5000
TEXT_MAX = 10_000
LONG_TEXT_MAX = 20_000


def clean_text(value, field: str, errors: dict, *, required: bool = False, max_length: int = TEXT_MAX) -> str:
    """Trimmed text; a missing required value or an over-long one is added to `errors[field]`."""
    text = (value or "").strip()
    if required and not text:
        errors.setdefault(field, []).append(_("This field is required."))
    if len(text) > max_length:
        errors.setdefault(field, []).append(_("At most %(n)s characters.") % {"n": max_length})
    return text


def bounded_text(value, field: str, *, max_length: int = TEXT_MAX, required: bool = False) -> str:
    """clean_text for one field on its own: 422 naming the field and the limit."""
    errors: dict = {}
    text = clean_text(value, field, errors, required=required, max_length=max_length)
    if errors:
        raise Invalid(errors[field][0], errors)
    return text


# Money is kept in yuan with two decimal places (fen), below a trillion: a third decimal place is
# refused rather than rounded away, on every page, endpoint and service.
MONEY_MAX = Decimal("1e12")
FEN = Decimal("0.01")


def parse_money(value, field: str, errors: dict, *, required: bool = False) -> Decimal | None:
    """An amount in yuan; None for a blank one. A missing required, malformed, negative, too
    large or sub-fen amount is added to `errors[field]`."""
    if value is None or value == "":
        if required:
            errors.setdefault(field, []).append(_("This field is required."))
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(_("Enter an amount in yuan, e.g. 1250000.00."))
        return None
    if not amount.is_finite() or amount < 0 or amount >= MONEY_MAX:
        errors.setdefault(field, []).append(_("Enter an amount in yuan, zero or more."))
        return None
    if amount != amount.quantize(FEN):
        errors.setdefault(field, []).append(_("At most two decimal places (fen)."))
        return None
    return amount.quantize(FEN).copy_abs()  # "-0" is zero, not "-0.00" yuan
