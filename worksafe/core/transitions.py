"""State machines: each model keeps its transitions as one table, and every status change goes
through the same three steps: lock the row checking its version, apply the table, save and
record the event in one transaction.

Core knows no app, the audit log included: `transition` takes the function that records the
event (audit's `record_event`), so the layers stay core → audit → apps.
"""

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from django.db import models, transaction
from django.utils.translation import gettext as _

from .errors import Invalid, NotFound, StaleVersion


class TransitionsMixin:
    """For a model with a `status` field and a `TRANSITIONS` table:
    action -> (statuses it may be taken from, status it leads to)."""

    TRANSITIONS: ClassVar[dict[str, tuple[set[str], str]]]
    status: str

    @classmethod
    def check_action(cls, action: str) -> None:
        """422 on `action` when the table has no such action."""
        if action not in cls.TRANSITIONS:
            raise Invalid.field(
                "action", _("Choose one of: %(values)s.") % {"values": ", ".join(cls.TRANSITIONS)}
            )

    def target_status(self, action: str) -> str | None:
        """Where `action` leads from the current status, or None if the status does not allow it."""
        sources, target = self.TRANSITIONS[action]
        return target if self.status in sources else None

    def allowed(self, action: str) -> bool:
        return action in self.TRANSITIONS and self.target_status(action) is not None

    def require(self, action: str, *, field: str = "action", message=None) -> str:
        """The action's target status; a status that does not allow the action is a 422 on
        `field`, with `message` or a general one."""
        self.check_action(action)
        target = self.target_status(action)
        if target is None:
            raise Invalid.field(field, message or _("The current status does not allow this action."))
        return target

    def apply(self, action: str, *, field: str = "action", message=None) -> tuple[str, str]:
        """Move to the action's target status (422 as `require` says); (before, after)."""
        target = self.require(action, field=field, message=message)
        before, self.status = self.status, target
        return before, target


def lock_versioned(queryset: models.QuerySet, pk, version: int | None, *, version_required: bool = True):
    """The row `pk` of `queryset` (the caller's scope), locked for the rest of the transaction.
    Absent or out of scope: 404. No version: 422 when one is required. Another version: 409.
    With `pk` None the queryset itself names the row (a one-to-one child of a parent)."""
    locked = queryset.select_for_update(of=("self",))
    obj = (locked if pk is None else locked.filter(pk=pk)).first()
    if obj is None:
        raise NotFound()
    if version is None:
        if version_required:
            raise Invalid.field("version", _("This field is required."))
    elif obj.version != version:
        raise StaleVersion(obj.version)
    return obj


def save_versioned(obj: models.Model, fields: Iterable[str]) -> None:
    """Bump the version and save `fields` with it (and the fields that stamp themselves on save)."""
    obj.version += 1
    stamped = [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]
    obj.save(update_fields=list(dict.fromkeys([*fields, "version", *stamped])))


def transition(
    obj: TransitionsMixin,
    action: str,
    *,
    record: Callable[..., Any],
    fields: Iterable[str] = (),
    field: str = "action",
    message=None,
    **event,
) -> tuple[str, str]:
    """Apply `action` to a row locked by lock_versioned, save its status, version and `fields`,
    and record the event (`record(subject=obj, action=…, from_status=…, to_status=…, **event)`),
    all in one transaction: the event is written only when the change is. (before, after)."""
    with transaction.atomic(savepoint=False):
        before, after = obj.apply(action, field=field, message=message)
        save_versioned(obj, ["status", *fields])
        record(subject=obj, action=action, from_status=before, to_status=after, **event)
    return before, after
