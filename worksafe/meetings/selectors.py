"""Meetings a user sees, and who a draft's directives could go to."""

from django.db.models import Q, QuerySet

from worksafe.core.errors import one_or_not_found
from worksafe.orgs.models import Organization, Role, User
from worksafe.orgs.selectors import supervising_departments
from worksafe.regions.models import ancestor_codes, in_subtree

from . import rules
from .models import Meeting

OFFICE_KINDS = (Organization.Kind.COMMITTEE, Organization.Kind.GOVERNMENT)


def meeting_list(*, visible_to: User) -> QuerySet[Meeting]:
    """A regulator sees the meetings of its region and below, and the higher meetings whose work
    reaches its region (those of every region above it); enterprises and experts see none."""
    user = visible_to
    meetings = Meeting.objects.select_related("region", "organizer")
    if not rules.may_view_meetings(user):
        return meetings.none()
    if user.role == Role.ADMIN:
        return meetings
    region = user.organization.region_id
    return meetings.filter(Q(region_id__in=ancestor_codes(region)) | in_subtree("region_id", region))


def meeting_get(*, visible_to: User, pk: int) -> Meeting:
    return one_or_not_found(meeting_list(visible_to=visible_to).prefetch_related("directives", "venues"), pk)


def suggested_assignees(*, region: str, industries: list[str]) -> list[int]:
    """Who a directive could be deployed to: for each of its industries the departments that
    supervise it for the region; a directive that names no industry goes to the offices of the
    regions directly below."""
    if not industries:
        lower = Organization.objects.filter(kind__in=OFFICE_KINDS, region__parent_id=region)
        return list(lower.order_by("region_id", "pk").values_list("pk", flat=True))
    ids: list[int] = []
    for industry in industries:
        ids += [
            org.pk for org in supervising_departments(region=region, industry=industry) if org.pk not in ids
        ]
    return ids
