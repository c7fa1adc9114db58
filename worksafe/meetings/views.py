"""Pages: the meetings a person sees, one meeting, and reading a published report into a
meeting that is saved in one step."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from worksafe.core.pages import call_service
from worksafe.core.pagination import keyset_page
from worksafe.orgs.models import Industry, Organization

from . import rules, services
from .forms import DirectiveFormSet, MeetingForm, ReadForm
from .selectors import meeting_list

PREFIX = "directives"


@login_required
def meeting_list_view(request):
    if not rules.may_view_meetings(request.user):
        raise PermissionDenied
    meetings, next_cursor = keyset_page(
        meeting_list(visible_to=request.user), cursor=request.GET.get("cursor"), limit=None
    )
    return render(
        request,
        "meetings/list.html",
        {
            "meetings": meetings,
            "next_cursor": next_cursor,
            "may_record": rules.may_record_meetings(request.user),
        },
    )


@login_required
def meeting_detail_view(request, pk: int):
    meeting = get_object_or_404(
        meeting_list(visible_to=request.user)
        .select_related("relays")
        .prefetch_related("directives", "venues__region"),
        pk=pk,
    )
    labels = [Industry(code).label for code in meeting.industries if code in Industry.values]
    return render(request, "meetings/detail.html", {"meeting": meeting, "industry_labels": labels})


def _draft_forms(user, draft, text: str):
    """The meeting and directive forms filled from a draft; each row's suggested assignees."""
    meeting = MeetingForm(
        initial={
            "region": user.organization.region_id if user.organization_id else "",
            "title": draft.title,
            "held_on": draft.held_on,
            "form": draft.form,
            "chair": draft.chair or "",
            "people": draft.people,
            "industries": draft.industries,
            "campaigns": draft.campaigns,
            "minutes": text,
        }
    )
    directives = DirectiveFormSet(
        prefix=PREFIX, initial=[{"text": d.text, "industries": d.industries} for d in draft.directives]
    )
    ids = {pk for d in draft.directives for pk in d.suggested_assignees}
    names = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "name"))
    suggestions = [[names[pk] for pk in d.suggested_assignees] for d in draft.directives]
    return meeting, directives, suggestions


@login_required
def meeting_read_view(request):
    """Paste a report, correct the draft, save: the first form reads, the second saves."""
    user = request.user
    if not rules.may_record_meetings(user):
        raise PermissionDenied
    read = ReadForm()
    meeting = directives = None
    suggestions: list = []
    if request.method == "POST" and request.POST.get("step") == "read":
        read = ReadForm(request.POST)
        if read.is_valid():
            data = read.cleaned_data
            draft = call_service(
                request,
                lambda: services.report_read(
                    actor=user, text=data["text"], published_on=data["published_on"]
                ),
                form=read,
            )
            if draft is not None:
                meeting, directives, suggestions = _draft_forms(user, draft, data["text"])
    elif request.method == "POST":
        meeting = MeetingForm(request.POST)
        directives = DirectiveFormSet(request.POST, prefix=PREFIX)
        if meeting.is_valid() and directives.is_valid():
            rows = [
                {"text": row["text"], "industries": row["industries"]}
                for row in directives.cleaned_data
                if row and not row.get("DELETE")
            ]
            saved = call_service(
                request,
                lambda: services.meeting_create(actor=user, directives=rows, **meeting.cleaned_data),
                form=meeting,
            )
            if saved is not None:
                return redirect("meetings:detail", pk=saved.pk)
    forms = directives.forms if directives else []
    rows = [(row, suggestions[i] if i < len(suggestions) else []) for i, row in enumerate(forms)]
    return render(
        request,
        "meetings/read.html",
        {"read": read, "meeting": meeting, "directives": directives, "rows": rows},
    )
