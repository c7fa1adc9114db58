"""Narrowing a list by optional filter values. Each search selector states, per filter, the
condition a value stands for; an absent or blank value filters nothing. So the API and the pages,
which both call the selector, can never filter differently."""

from collections.abc import Callable, Mapping

from django.db.models import Q, QuerySet

# A field lookup ("region_id__in") or a function from the value to a condition.
Condition = str | Callable[[object], Q]


def matching(queryset: QuerySet, filters, conditions: Mapping[str, Condition]) -> QuerySet:
    """`filters` is a dataclass (or a mapping) holding a value, or None, per name in `conditions`."""
    for name, condition in conditions.items():
        value = filters.get(name) if isinstance(filters, Mapping) else getattr(filters, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        queryset = queryset.filter(condition(value) if callable(condition) else Q(**{condition: value}))
    return queryset


def contains_any(*fields: str) -> Callable[[str], Q]:
    """A free-text filter: the trimmed text appears in one of `fields`."""

    def condition(text: str) -> Q:
        found = Q()
        for field in fields:
            found |= Q(**{f"{field}__icontains": text.strip()})
        return found

    return condition
