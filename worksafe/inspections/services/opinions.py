"""Rectification opinions: what a supervision of a government or department finds wrong, and
the addressee's reports on it until the organizer closes it."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from worksafe.audit.services import record_event
from worksafe.core.errors import NOTE_MAX, Forbidden, bounded_text
from worksafe.core.transitions import lock_versioned, transition
from worksafe.orgs.models import User

from .. import rules
from ..models import Answer, Finding, Inspection, Opinion, OpinionReport
from ..selectors import opinion_list
from .common import due_days


def issue_opinions(
    inspection: Inspection, failed: list[Answer], findings: list[Finding], today: date
) -> list[int]:
    """An opinion for each failed item and finding of a supervision that has none yet; their ids."""
    issued = []
    for answer in failed:
        if not Opinion.objects.filter(answer=answer).exists():
            issued.append(
                _opinion(
                    inspection, answer.item.is_major, answer.item.text, answer.note, today, answer=answer
                )
            )
    for finding in findings:
        if not Opinion.objects.filter(finding=finding).exists():
            text = f"{finding.title}\n{finding.description}".strip()
            issued.append(_opinion(inspection, finding.level == "major", text, "", today, finding=finding))
    return issued


def _opinion(inspection: Inspection, is_major: bool, text: str, note: str, today: date, **link) -> int:
    level = "major" if is_major else "general"
    opinion = Opinion.objects.create(
        inspection=inspection,
        addressee=inspection.target,
        region_id=inspection.region_id,
        text=(text + (f"\n{note}" if note else "")).strip(),
        is_major=is_major,
        deadline=today + timedelta(days=due_days(level)),
        **link,
    )
    return opinion.pk


@transaction.atomic
def opinion_act(*, actor: User, opinion_id: int, action: str, version: int, note: str = "") -> Opinion:
    Opinion.check_action(action)
    opinion = lock_versioned(opinion_list(visible_to=actor), opinion_id, version)
    reason = rules.may_act_on_opinion(actor, opinion, action)
    if reason:
        raise Forbidden(reason)
    target = opinion.require(action, message=_("This opinion's status does not allow that."))
    required = action in (Opinion.Action.REPORT, Opinion.Action.SUBMIT, Opinion.Action.REJECT)
    note = bounded_text(note, "note", max_length=NOTE_MAX, required=required)
    if target == Opinion.Status.CLOSED:
        opinion.closed_at = timezone.now()
    transition(opinion, action, record=record_event, fields=["closed_at"], actor=actor, note=note)
    OpinionReport.objects.create(opinion=opinion, action=action, note=note, by=actor)
    return opinion
