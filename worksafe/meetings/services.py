"""Reading a report into a draft, and recording a meeting with its directives (domain.md 9)."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from worksafe.audit.services import record_event
from worksafe.core.dates import in_range, out_of_range_message
from worksafe.core.errors import LONG_TEXT_MAX, TEXT_MAX, TITLE_MAX, Forbidden, Invalid
from worksafe.orgs.models import Industry, Organization
from worksafe.orgs.scope import sees_region
from worksafe.regions.selectors import region_get

from . import rules
from .models import BranchVenue, Directive, Meeting
from .reader import Draft, read_report
from .selectors import OFFICE_KINDS, meeting_list, suggested_assignees

NAME_MAX = 100


@dataclass
class DraftDirective:
    text: str
    industries: list[str]
    suggested_assignees: list[int]


def report_read(*, actor, text: str, published_on: date | None = None, region: str | None = None):
    """The draft of a pasted report, each directive with suggested assignees for `region` (the
    actor's own by default). Saves nothing."""
    if not rules.may_record_meetings(actor):
        raise Forbidden(_("Your role does not record meetings."))
    if not text or not text.strip():
        raise Invalid.field("text", _("Paste the text of a report."))
    if region is None and actor.organization_id:
        region = actor.organization.region_id
    elif region is not None and (region_get(region) is None or not sees_region(actor, region)):
        raise Invalid.field("region", _("This region is outside your area."))
    draft: Draft = read_report(text, published_on=published_on)
    draft.directives = [
        DraftDirective(
            text=d.text,
            industries=d.industries,
            suggested_assignees=suggested_assignees(region=region, industries=d.industries) if region else [],
        )
        for d in draft.directives
    ]
    return draft


def _names(values, field: str, errors: dict) -> list[str]:
    names = [str(v).strip() for v in values or () if str(v).strip()]
    if any(len(name) > NAME_MAX for name in names):
        errors.setdefault(field, []).append(_("A name has at most %(n)s characters.") % {"n": NAME_MAX})
    return names


def _industries(values, field: str, errors: dict) -> list[str]:
    codes = list(dict.fromkeys(str(code) for code in values or ()))
    if any(code not in Industry.values for code in codes):
        errors.setdefault(field, []).append(_("Choose industry codes from the list."))
    return codes


@transaction.atomic
def meeting_create(
    *,
    actor,
    region: str,
    title: str,
    held_on: date,
    form: str = Meeting.Form.OTHER,
    chair: str = "",
    people=(),
    industries=(),
    campaigns=(),
    summary: str = "",
    minutes: str = "",
    relays: int | None = None,
    directives=(),
    venues=(),
) -> Meeting:
    """Record a meeting of the actor's region with its directives (each {"text", "industries"})
    and, for a video conference, its branch venues (each {"region", "attendees"})."""
    if not rules.may_record_meetings(actor):
        raise Forbidden(_("Your role does not record meetings."))
    errors: dict[str, list] = {}
    organizer = None
    place = region_get(region)
    if place is None:
        errors["region"] = [_("Unknown region code.")]
    elif not rules.may_record_in(actor, region):
        errors["region"] = [_("An office records the meetings of its own region.")]
    else:
        organizer = (
            actor.organization
            if actor.organization_id and actor.organization.region_id == region
            else Organization.objects.filter(kind__in=OFFICE_KINDS, region_id=region).order_by("pk").first()
        )
        if organizer is None:
            errors["region"] = [_("No committee or government of this region can hold the meeting.")]
    title = (title or "").strip()
    if not title or len(title) > TITLE_MAX:
        errors["title"] = [_("Give a title of at most %(n)s characters.") % {"n": TITLE_MAX}]
    if not isinstance(held_on, date) or not in_range(held_on):
        errors["held_on"] = [out_of_range_message()]
    if form not in Meeting.Form.values:
        errors["form"] = [_("Choose one of: %(values)s.") % {"values": ", ".join(Meeting.Form.values)}]
    chair = (chair or "").strip()
    if len(chair) > NAME_MAX:
        errors["chair"] = [_("A name has at most %(n)s characters.") % {"n": NAME_MAX}]
    people = _names(people, "people", errors)
    campaigns = _names(campaigns, "campaigns", errors)
    industries = _industries(industries, "industries", errors)
    higher = None
    if relays is not None:
        higher = meeting_list(visible_to=actor).filter(pk=relays).first()
        if higher is None:
            errors["relays"] = [_("Unknown meeting.")]
    rows = []
    for i, item in enumerate(directives or ()):
        text = (item.get("text") or "").strip()
        if not text:
            errors.setdefault(f"directives.{i}.text", []).append(_("This field is required."))
        rows.append((text, _industries(item.get("industries"), f"directives.{i}.industries", errors)))
    seen = set()
    for i, venue in enumerate(venues or ()):
        code = str(venue.get("region") or "")
        below = place is not None and code != region and place.contains(code) and region_get(code) is not None
        if not below or code in seen:
            errors[f"venues.{i}.region"] = [_("Choose each region below the meeting's once.")]
        seen.add(code)
    for field, value, limit in (("summary", summary, TEXT_MAX), ("minutes", minutes, LONG_TEXT_MAX)):
        if len(value or "") > limit:
            errors[field] = [_("At most %(n)s characters.") % {"n": limit}]
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    meeting = Meeting.objects.create(
        region_id=region,
        organizer=organizer,
        title=title,
        held_on=held_on,
        form=form,
        chair=chair,
        people=people,
        industries=industries,
        campaigns=campaigns,
        summary=summary or "",
        minutes=minutes or "",
        relays=higher,
        created_by=actor,
    )
    Directive.objects.bulk_create(
        Directive(meeting=meeting, position=i, text=text, industries=codes)
        for i, (text, codes) in enumerate(rows)
    )
    BranchVenue.objects.bulk_create(
        BranchVenue(meeting=meeting, region_id=venue["region"], attendees=venue.get("attendees") or "")
        for venue in venues or ()
    )
    record_event(actor=actor, subject=meeting, action="create")
    return meeting
