"""Appending to and verifying the event chain. Every app records its events through here."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import (
    GENESIS,
    ChainHead,
    Event,
    SubjectType,
    canonical_payload,
    canonical_template,
    canonical_time,
    subject_type_of,
)

# The hashed text is defined beside Event; bulk writers take it from here with the rest.
__all__ = [
    "NewEvent",
    "canonical_payload",
    "canonical_template",
    "canonical_time",
    "lock_chain_head",
    "record_event",
    "record_events",
    "verify_chain",
]


@dataclass(frozen=True)
class NewEvent:
    """An event to append. Name the record by `subject=` (a model instance); writers that hold
    only ids (set-based sweeps) name it by `subject_type=` (a SubjectType) and `subject_id=`."""

    action: str
    subject: object = None
    subject_type: str = ""
    subject_id: object = None
    action: str
    actor: object = None  # a user, or None for the system (sweeps, schedules)
    from_status: str = ""
    to_status: str = ""
    note: str = ""
    data: dict | None = None

    def __post_init__(self):
        if self.subject is not None:
            object.__setattr__(self, "subject_type", subject_type_of(self.subject))
            object.__setattr__(self, "subject_id", self.subject.pk)
        else:
            object.__setattr__(self, "subject_type", SubjectType(self.subject_type).value)
        if self.subject_id is None:
            raise ValueError("An event names its subject.")


def lock_chain_head() -> ChainHead:
    """Lock the chain head for the rest of the transaction: appends queue behind it. Bulk
    writers (the generator) hold it while they continue the chain themselves."""
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


@transaction.atomic
def record_events(new_events: Iterable[NewEvent]) -> list[Event]:
    """Append events in order, in the caller's transaction. The head lock makes concurrent
    writers queue here, so ids stay gapless and each hash covers its predecessor."""
    head = lock_chain_head()
    now = timezone.now()
    events = []
    prev_id, prev_hash = head.last_id, head.last_hash
    for new in new_events:
        actor = new.actor
        event = Event(
            id=prev_id + 1,
            at=now,
            actor_id=getattr(actor, "pk", None),
            actor_label=getattr(actor, "username", "") or "",
            subject_type=new.subject_type,
            subject_id=str(new.subject_id),
            action=new.action,
            from_status=new.from_status or "",
            to_status=new.to_status or "",
            note=new.note or "",
            data=new.data or {},
            prev_hash=prev_hash,
        )
        event.hash = event.compute_hash()
        events.append(event)
        prev_id, prev_hash = event.id, event.hash
    if events:
        Event.objects.bulk_create(events, batch_size=1000)
        ChainHead.objects.filter(pk=1).update(last_id=prev_id, last_hash=prev_hash)
    return events


def record_event(*, actor, subject, action: str, **fields) -> Event:
    """Append one event about `subject` (a model instance) by `actor` (None for the system)."""
    return record_events([NewEvent(actor=actor, subject=subject, action=action, **fields)])[0]


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    reason: str


def verify_chain(chunk_size: int = 5000) -> ChainProblem | None:
    """The first broken event, or None when the chain is intact."""
    expected_id, expected_prev = 1, GENESIS
    for event in Event.objects.order_by("id").iterator(chunk_size=chunk_size):
        if event.id != expected_id:
            return ChainProblem(expected_id, f"event {expected_id} is missing (next present: {event.id})")
        if event.prev_hash != expected_prev:
            return ChainProblem(event.id, "its prev_hash does not match the previous event's hash")
        if event.compute_hash() != event.hash:
            return ChainProblem(event.id, "its content does not match its hash (altered)")
        expected_id, expected_prev = event.id + 1, event.hash
    head = ChainHead.objects.filter(pk=1).first()
    last_id = expected_id - 1
    if head and (head.last_id != last_id or head.last_hash != expected_prev):
        return ChainProblem(
            last_id + 1, f"the chain head records event {head.last_id}, the log ends at {last_id}"
        )
    return None
