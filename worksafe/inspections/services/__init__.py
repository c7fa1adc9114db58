"""Writes for checklists, inspections, opinions, plans and enforcement. Each runs in one
transaction and records its audit event in it. Hidden dangers are created only through
hazards.services."""

from .checklists import checklist_copy, checklist_item_add, checklist_item_remove
from .common import due_days
from .enforcement import enforcement_complete, enforcement_create
from .inspections import (
    finding_add,
    inspection_answer,
    inspection_cancel,
    inspection_create,
    inspection_finish,
    inspection_start,
    photo_add,
)
from .opinions import opinion_act
from .plans import draw, plan_candidates, plan_create

__all__ = [
    "checklist_copy",
    "checklist_item_add",
    "checklist_item_remove",
    "draw",
    "due_days",
    "enforcement_complete",
    "enforcement_create",
    "finding_add",
    "inspection_answer",
    "inspection_cancel",
    "inspection_create",
    "inspection_finish",
    "inspection_start",
    "opinion_act",
    "photo_add",
    "plan_candidates",
    "plan_create",
]
