"""How an event reads in the API: every record's history answers in this one shape."""

from datetime import datetime

from ninja import Schema


class EventOut(Schema):
    id: int
    at: datetime
    actor: str | None
    action: str
    from_status: str
    to_status: str
    note: str
    data: dict

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return obj.actor_label or None
