"""Writes about accidents: reports, investigation and accountability. Each runs in one
transaction and records its event in it."""

from .accountability import decision_create, proposal
from .investigation import investigation_conclude, investigation_extend, investigation_update, track_update
from .reports import (
    accident_create,
    accident_update,
    default_type,
    report_flag,
    report_record,
    supplementary_hours,
)

__all__ = [
    "accident_create",
    "accident_update",
    "decision_create",
    "default_type",
    "investigation_conclude",
    "investigation_extend",
    "investigation_update",
    "proposal",
    "report_flag",
    "report_record",
    "supplementary_hours",
    "track_update",
]
