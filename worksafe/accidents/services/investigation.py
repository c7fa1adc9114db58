"""The investigation of an accident: its team and causes, the deadline and its extensions, the
three tracks of 一案三查 and the conclusion (domain.md §1.3, §6)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from worksafe.audit.services import record_event
from worksafe.core.errors import LONG_TEXT_MAX, NOTE_MAX, Forbidden, Invalid, NotFound, bounded_text
from worksafe.core.transitions import lock_versioned, save_versioned
from worksafe.orgs.models import User

from .. import rules
from ..models import Investigation, Track
from ..selectors import accident_get


def _investigation(actor: User, accident_id: int, version) -> Investigation:
    accident = accident_get(visible_to=actor, pk=accident_id)
    if not rules.may_investigate(actor):
        raise Forbidden(_("Only the investigating authorities change the investigation."))
    investigation = lock_versioned(Investigation.objects.filter(accident=accident), None, version)
    investigation.accident = accident
    return investigation


def _clean_team(team, errors: dict) -> list[dict]:
    cleaned = []
    for member in team or []:
        if not isinstance(member, dict):
            errors.setdefault("team", []).append(_("Each member has a name, a unit and a role."))
            break
        name = bounded_text(str(member.get("name") or ""), "team", max_length=100)
        if not name:
            errors.setdefault("team", []).append(_("Each member needs a name."))
            break
        cleaned.append(
            {
                "name": name,
                "unit": bounded_text(str(member.get("unit") or ""), "team", max_length=200),
                "role": bounded_text(str(member.get("role") or ""), "team", max_length=100),
            }
        )
    return cleaned


def _open_required(investigation: Investigation) -> None:
    if investigation.status != Investigation.Status.OPEN:
        raise Invalid.field("status", _("The investigation is concluded."))


@transaction.atomic
def investigation_update(
    *,
    actor: User,
    accident_id: int,
    version: int,
    lead_authority: str | None = None,
    team: list | None = None,
    direct_causes: str | None = None,
    indirect_causes: str | None = None,
) -> Investigation:
    investigation = _investigation(actor, accident_id, version)
    _open_required(investigation)
    errors: dict[str, list] = {}
    changes: dict = {}
    if lead_authority is not None:
        changes["lead_authority"] = bounded_text(lead_authority, "lead_authority", max_length=200)
    if team is not None:
        changes["team"] = _clean_team(team, errors)
    if direct_causes is not None:
        changes["direct_causes"] = bounded_text(direct_causes, "direct_causes", max_length=LONG_TEXT_MAX)
    if indirect_causes is not None:
        changes["indirect_causes"] = bounded_text(
            indirect_causes, "indirect_causes", max_length=LONG_TEXT_MAX
        )
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    before = {k: getattr(investigation, k) for k in changes}
    for name, value in changes.items():
        setattr(investigation, name, value)
    save_versioned(investigation, changes)
    record_event(
        actor=actor,
        subject=investigation.accident,
        action="investigation_update",
        data={"before": before, "after": changes},
    )
    return investigation


@transaction.atomic
def investigation_extend(
    *, actor: User, accident_id: int, version: int, days: int, approved_by: str, reason: str
) -> Investigation:
    """Extend the 60-day deadline with the investigating government's approval; extensions add
    up to at most 60 days (domain.md §1.3)."""
    investigation = _investigation(actor, accident_id, version)
    _open_required(investigation)
    errors: dict[str, list] = {}
    room = Investigation.MAX_EXTENSION_DAYS - investigation.extension_days
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        errors["days"] = [_("Enter a number of days, one or more.")]
    elif days > room:
        errors["days"] = [
            _("The deadline may be extended by at most 60 days in all; %(n)s days remain.") % {"n": room}
        ]
    if not (approved_by or "").strip():
        errors["approved_by"] = [_("Name the government that approved the extension.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason.")]
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    old_due = investigation.due_on
    investigation.extension_days += days
    investigation.extension_approved_by = bounded_text(approved_by, "approved_by", max_length=200)
    investigation.extension_reason = bounded_text(reason, "reason", max_length=NOTE_MAX)
    save_versioned(investigation, ["extension_days", "extension_approved_by", "extension_reason"])
    record_event(
        actor=actor,
        subject=investigation.accident,
        action="investigation_extend",
        note=investigation.extension_reason,
        data={"days": days, "from": old_due.isoformat(), "to": investigation.due_on.isoformat()},
    )
    return investigation


@transaction.atomic
def track_update(
    *, actor: User, accident_id: int, kind: str, findings: str | None = None, close: bool | None = None
) -> Track:
    accident = accident_get(visible_to=actor, pk=accident_id)
    if not rules.may_investigate(actor):
        raise Forbidden(_("Only the investigating authorities change the investigation."))
    track = (
        Track.objects.select_for_update()
        .select_related("investigation")
        .filter(investigation__accident=accident, kind=kind)
        .first()
    )
    if track is None:
        raise NotFound()
    _open_required(track.investigation)
    before = track.status
    if findings is not None:
        track.findings = bounded_text(findings, "findings", max_length=LONG_TEXT_MAX)
    if close is True:
        if not track.findings:
            raise Invalid.field("findings", _("A track is closed with its findings."))
        track.status = Track.Status.CLOSED
        track.closed_at = timezone.now()
    elif close is False:
        track.status = Track.Status.OPEN
        track.closed_at = None
    track.save(update_fields=["findings", "status", "closed_at"])
    record_event(
        actor=actor,
        subject=accident,
        action="track",
        from_status=before,
        to_status=track.status,
        data={"track": kind, "findings": track.findings},
    )
    return track


@transaction.atomic
def investigation_conclude(*, actor: User, accident_id: int, version: int, conclusion: str) -> Investigation:
    """Close the case: all three tracks of 一案三查 closed, causes and conclusion on record (§1.3, §6)."""
    investigation = _investigation(actor, accident_id, version)
    _open_required(investigation)
    errors: dict[str, list] = {}
    for track in investigation.tracks.all():
        if track.status != Track.Status.CLOSED:
            errors[f"tracks.{track.kind}"] = [
                _("The track “%(track)s” is still open.") % {"track": track.get_kind_display()}
            ]
    if not investigation.direct_causes:
        errors["direct_causes"] = [_("Record the direct causes before concluding.")]
    if not (conclusion or "").strip():
        errors["conclusion"] = [_("This field is required.")]
    if errors:
        raise Invalid(_("The case cannot be concluded yet."), errors)
    investigation.conclusion = bounded_text(conclusion, "conclusion", max_length=LONG_TEXT_MAX)
    investigation.status = Investigation.Status.CONCLUDED
    investigation.concluded_at = timezone.now()
    save_versioned(investigation, ["conclusion", "status", "concluded_at"])
    record_event(
        actor=actor,
        subject=investigation.accident,
        action="conclude",
        from_status=Investigation.Status.OPEN,
        to_status=Investigation.Status.CONCLUDED,
        note=investigation.conclusion,
    )
    return investigation
