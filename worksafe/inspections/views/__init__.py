"""Pages of the inspections app, one module per subject."""

from .checklists import checklist_copy, checklist_detail, checklist_list_view
from .enforcement import activity_view, enforcement_complete, enforcement_list_view, enforcement_new
from .inspections import (
    inspection_answer,
    inspection_cancel,
    inspection_detail,
    inspection_finding,
    inspection_finish,
    inspection_list_view,
    inspection_new,
    inspection_photo,
    inspection_start,
    opinion_act,
    opinion_list_view,
    photo_file,
)
from .plans import plan_detail, plan_new

__all__ = [
    "activity_view",
    "checklist_copy",
    "checklist_detail",
    "checklist_list_view",
    "enforcement_complete",
    "enforcement_list_view",
    "enforcement_new",
    "inspection_answer",
    "inspection_cancel",
    "inspection_detail",
    "inspection_finding",
    "inspection_finish",
    "inspection_list_view",
    "inspection_new",
    "inspection_photo",
    "inspection_start",
    "opinion_act",
    "opinion_list_view",
    "photo_file",
    "plan_detail",
    "plan_new",
]
