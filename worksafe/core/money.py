"""Money as people read it: yuan with thousands separators in every language (the zh-Hans
locale of Django groups nothing, and 999999999.00 is unreadable)."""

from decimal import Decimal


def yuan(value: Decimal | int | None) -> str:
    return "" if value is None else f"¥{Decimal(value):,.2f}"
