"""Field types and a body base that make the API read input exactly as its OpenAPI document
describes it: what the document calls an integer, a boolean or an object is the only thing
accepted as one."""

import re
import types
import typing
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import BeforeValidator, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .errors import MONEY_MAX
from .pagination import MAX_LIMIT

# A decimal written as text: digits and at most two decimal places ("1250000.00"); the bounds
# (no negative amounts but "-0") are checked on the value.
DECIMAL_TEXT = r"^-?\d+(\.\d{1,2})?$"


def _decimal_text(value):
    # Pydantic alone would also read " 1", "1e3", "1_000", "+1" and true.
    if isinstance(value, bool) or (isinstance(value, str) and not re.fullmatch(DECIMAL_TEXT, value)):
        raise PydanticCustomError(
            "decimal_text", str(_("Enter an amount such as 1250.50, with at most two decimal places."))
        )
    return value


class _TwoPlacesDocumented:
    def __get_pydantic_json_schema__(self, schema, handler):
        json_schema = handler(schema)
        for branch in json_schema.get("anyOf", [json_schema]):
            if branch.get("type") == "string":
                branch["pattern"] = DECIMAL_TEXT
            elif branch.get("type") == "number":
                branch["multipleOf"] = 0.01
        return json_schema


def amount(**bounds):
    """A decimal of at most two places within `bounds` (ge, gt, le, lt), as a JSON number or text."""
    return Annotated[
        Decimal, Field(decimal_places=2, **bounds), BeforeValidator(_decimal_text), _TwoPlacesDocumented()
    ]


# Money in yuan, as stored (a DecimalField of 14 digits, 2 of them decimal).
Money = amount(ge=0, lt=MONEY_MAX)

# List paging (design.md "Lists"): the page size and the opaque cursor of the next page.
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description="Page size, 1 to 200 (default 50).")]
Cursor = Annotated[
    str,
    Field(
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The `next` value of the previous page, as given.",
    ),
]


def _json_kind(annotation) -> type | None:
    """int or bool when the annotation documents a JSON integer or boolean (or a list of them)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _json_kind(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list):
        kinds = {_json_kind(arg) for arg in typing.get_args(annotation) if arg is not type(None)}
        return kinds.pop() if len(kinds) == 1 else None
    return annotation if annotation in (int, bool) else None


class JsonBody(Schema):
    """A JSON request body. It must be an object: ninja's Schema reads null, a list, a number or
    a string as an empty object when every field is optional. An integer field takes only a JSON
    integer and a boolean field only a JSON boolean: pydantic's lax mode reads false as 0, "5" as
    5 and "yes" or 1 as true, none of which the document allows."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data):
        # ninja's own (outer) validator has already wrapped the input for attribute access.
        if not isinstance(data._obj if isinstance(data, DjangoGetter) else data, dict):
            raise PydanticCustomError("model_type", str(_("Send a JSON object.")))
        return data

    @field_validator("*", mode="before")
    @classmethod
    def _json_scalars(cls, value, info):
        kind = _json_kind(cls.model_fields[info.field_name].annotation)
        if kind is None or value is None:
            return value
        for item in value if isinstance(value, list) else [value]:
            if kind is bool and not isinstance(item, bool):
                raise PydanticCustomError("bool_type", str(_("Enter true or false.")))
            if kind is int and isinstance(item, (bool, str)):
                raise PydanticCustomError("int_type", str(_("Enter a whole number.")))
        return value
