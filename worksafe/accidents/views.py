"""Pages: report an accident, the list, and the case file with its actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from worksafe.core.errors import DomainError
from worksafe.core.pages import call_service
from worksafe.core.pagination import keyset_page
from worksafe.orgs.selectors import enterprise_list, organization_list

from . import rules, services
from .forms import (
    AccidentForm,
    CasualtyForm,
    ConcludeForm,
    DecisionForm,
    ExtendForm,
    InvestigationForm,
    ReportFlagForm,
    ReportMadeForm,
    TrackForm,
)
from .models import AuthorityLevel, Grade, Investigation, ReportDuty, Track
from .selectors import (
    AccidentFilters,
    accident_detail_list,
    accident_events,
    accident_history,
    accident_search,
    decisions,
    report_duties,
    track_get,
)

# How each audit action of a case reads in its timeline.
ACTION_LABELS = {
    "create": pgettext_lazy("accident timeline", "Reported"),
    "update": gettext_lazy("Figures or summary changed"),
    "regrade": gettext_lazy("Regraded"),
    "investigation_level": gettext_lazy("Investigation moved to a higher level"),
    "supplementary_due": gettext_lazy("Supplementary report owed"),
    "report": gettext_lazy("Report made"),
    "report_flag": gettext_lazy("Reporting irregularity recorded"),
    "investigation_update": gettext_lazy("Investigation updated"),
    "investigation_extend": gettext_lazy("Investigation deadline extended"),
    "track": gettext_lazy("Track of the three investigations updated"),
    "conclude": gettext_lazy("Case concluded"),
    "decision": gettext_lazy("Accountability decision"),
}


# Codes an event's status may carry, as people read them.
STATUS_LABELS = {
    **dict(Grade.choices),
    **dict(ReportDuty.Status.choices),
    **dict(ReportDuty.Irregularity.choices),
    **dict(Track.Status.choices),
    **dict(AuthorityLevel.choices),
    "concluded": Investigation.Status.CONCLUDED.label,
}


@login_required
def accident_list_view(request):
    if not rules.may_view_accidents(request.user):
        raise PermissionDenied
    grade = request.GET.get("grade")
    if grade not in Grade.values:
        grade = None
    queryset = accident_search(visible_to=request.user, filters=AccidentFilters(grade=grade))
    try:
        items, cursor = keyset_page(queryset, cursor=request.GET.get("cursor"), limit=50)
    except DomainError:
        items, cursor = keyset_page(queryset, cursor=None, limit=50)
    return render(
        request,
        "accidents/list.html",
        {
            "accidents": items,
            "next_cursor": cursor,
            "grade": grade,
            "grades": Grade.choices,
            "may_report": rules.may_report(request.user),
        },
    )


@login_required
def accident_create_view(request):
    if not rules.may_report(request.user):
        raise PermissionDenied(_("Your role does not report accidents."))
    enterprises = enterprise_list(visible_to=request.user)
    initial = {}
    if request.user.organization is not None:
        initial["region"] = request.user.organization.region_id
        if request.user.organization.is_enterprise:
            initial["industry"] = request.user.organization.industry
            initial["enterprise"] = request.user.organization_id
    form = AccidentForm(request.POST or None, enterprises=enterprises, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        accident = call_service(
            request, lambda: services.accident_create(actor=request.user, **data), form=form
        )
        if accident is not None:
            messages.success(
                request,
                _("Accident reported; its grade is %(grade)s.") % {"grade": accident.get_grade_display()},
            )
            # The flag tells the page to forget the draft the phone kept while typing.
            return redirect(f"{reverse('accidents:detail', args=[accident.pk])}?reported=1")
    return render(request, "accidents/form.html", {"form": form}, status=422 if form.errors else 200)


def _case_context(request, accident, **bound) -> dict:
    user = request.user
    investigation = accident.investigation
    organizations = organization_list(visible_to=user).order_by("name")[:500]
    now = timezone.now()
    duties = list(report_duties(accident))
    report_forms = bound.pop("report_forms", {})
    flag_forms = bound.pop("flag_forms", {})
    for duty in duties:
        duty.accident = accident  # already loaded: no query per duty
        duty.current_status = duty.status_at(now)
        duty.current_status_label = duty.Status(duty.current_status).label
        duty.may_record = duty.reported_at is None and rules.may_record_report(user, duty)
        # One form per duty, each with its own ids, so every label names its own input.
        duty.report_form = report_forms.get(duty.pk) or ReportMadeForm(auto_id=f"duty{duty.pk}_%s")
        duty.flag_form = flag_forms.get(duty.pk) or ReportFlagForm(auto_id=f"flag{duty.pk}_%s")
    tracks = list(investigation.tracks.all())
    track_forms = bound.pop("track_forms", {})
    for track in tracks:
        track.form = track_forms.get(track.kind) or TrackForm(
            initial={
                "kind": track.kind,
                "findings": track.findings,
                "close": track.status == Track.Status.CLOSED,
            },
            auto_id=f"track_{track.kind}_%s",
        )
    history = accident_history(accident, visible_to=user)
    context = {
        "accident": accident,
        "investigation": investigation,
        "tracks": tracks,
        "duties": duties,
        "grade_changes": list(accident.grade_changes.select_related("actor").order_by("id")),
        "decisions": list(decisions(accident)),
        "history": history,
        "events": [
            (
                e,
                ACTION_LABELS.get(e.action, e.action),
                STATUS_LABELS.get(e.to_status, e.to_status) if e.to_status else "",
            )
            for e in accident_events(accident)
        ],
        "may_update": rules.may_update_figures(user, accident),
        "may_investigate": rules.may_investigate(user) and investigation.status == "open",
        "may_decide": rules.may_decide(user),
        "may_flag": rules.may_flag_irregularity(user),
        "casualty_form": CasualtyForm(
            initial={
                "version": accident.version,
                "deaths": accident.deaths,
                "missing": accident.missing,
                "serious_injuries": accident.serious_injuries,
                "direct_economic_loss": accident.direct_economic_loss,
            }
        ),
        "investigation_form": InvestigationForm(
            initial={
                "version": investigation.version,
                "lead_authority": investigation.lead_authority,
                "team": "\n".join(
                    ", ".join(p for p in (m.get("name"), m.get("unit"), m.get("role")) if p)
                    for m in investigation.team
                ),
                "direct_causes": investigation.direct_causes,
                "indirect_causes": investigation.indirect_causes,
            }
        ),
        "extend_form": ExtendForm(initial={"version": investigation.version}),
        "conclude_form": ConcludeForm(initial={"version": investigation.version}),
        "decision_form": DecisionForm(organizations=organizations),
        "proposal": services.proposal(accident, subject="enterprise") if accident.enterprise_id else None,
        "today": timezone.localdate(),
    }
    context.update(bound)
    return context


def _accident(request, pk: int):
    return get_object_or_404(accident_detail_list(visible_to=request.user), pk=pk)


@login_required
def accident_detail_view(request, pk: int):
    accident = _accident(request, pk)
    return render(request, "accidents/detail.html", _case_context(request, accident))


def _run(request, pk: int, form, context_key: str, call, success: str, *, key=None):
    """Validate `form`, run `call(cleaned)`; on success redirect to the case, else show the case
    with the form's errors where it was filled in (nothing typed is lost)."""
    accident = _accident(request, pk)
    if form.is_valid():
        done = call_service(request, lambda: call(accident, form.cleaned_data), form=form)
        if getattr(form, "stale", False):
            # A stale case form is not kept: the case is shown again as it now is.
            messages.warning(
                request, _("Someone changed this case meanwhile; here is the current state. Please retry.")
            )
            return redirect("accidents:detail", pk=pk)
        if done is not None:
            messages.success(request, success)
            return redirect("accidents:detail", pk=pk)
    accident = _accident(request, pk)
    # A form repeated per duty or track goes back to its own card (`key`).
    extra = {context_key: form} if key is None else {context_key: {key: form}}
    return render(request, "accidents/detail.html", _case_context(request, accident, **extra), status=422)


@login_required
@require_POST
def casualties_view(request, pk: int):
    def call(accident, data):
        return services.accident_update(
            actor=request.user,
            accident_id=accident.pk,
            version=data["version"],
            deaths=data["deaths"],
            missing=data["missing"],
            serious_injuries=data["serious_injuries"],
            direct_economic_loss=data["direct_economic_loss"],
            note=data.get("note") or "",
        )

    return _run(request, pk, CasualtyForm(request.POST), "casualty_form", call, _("Figures updated."))


@login_required
@require_POST
def report_made_view(request, pk: int, duty_pk: int):
    def call(accident, data):
        return services.report_record(
            actor=request.user,
            accident_id=accident.pk,
            duty_id=duty_pk,
            reported_at=data.get("reported_at"),
            note=data.get("note") or "",
        )

    form = ReportMadeForm(request.POST, auto_id=f"duty{duty_pk}_%s")
    return _run(request, pk, form, "report_forms", call, _("Report recorded."), key=duty_pk)


@login_required
@require_POST
def report_flag_view(request, pk: int, duty_pk: int):
    def call(accident, data):
        return services.report_flag(
            actor=request.user,
            accident_id=accident.pk,
            duty_id=duty_pk,
            irregularity=data.get("irregularity") or "",
            note=data["note"],
        )

    form = ReportFlagForm(request.POST, auto_id=f"flag{duty_pk}_%s")
    return _run(request, pk, form, "flag_forms", call, _("Irregularity recorded."), key=duty_pk)


@login_required
@require_POST
def investigation_view(request, pk: int):
    form = InvestigationForm(request.POST)

    def call(accident, data):
        return services.investigation_update(
            actor=request.user,
            accident_id=accident.pk,
            version=data["version"],
            lead_authority=data.get("lead_authority") or "",
            team=form.team_members(),
            direct_causes=data.get("direct_causes") or "",
            indirect_causes=data.get("indirect_causes") or "",
        )

    return _run(request, pk, form, "investigation_form", call, _("Investigation updated."))


@login_required
@require_POST
def extend_view(request, pk: int):
    def call(accident, data):
        return services.investigation_extend(actor=request.user, accident_id=accident.pk, **data)

    return _run(request, pk, ExtendForm(request.POST), "extend_form", call, _("Deadline extended."))


@login_required
@require_POST
def track_view(request, pk: int):
    kind = request.POST.get("kind", "")
    track = track_get(_accident(request, pk), kind)
    # The box shows the track's status: only a change of it closes or reopens the track.
    form = TrackForm(
        request.POST,
        initial={"close": track is not None and track.status == Track.Status.CLOSED},
        auto_id=f"track_{kind}_%s",
    )

    def call(accident, data):
        return services.track_update(
            actor=request.user,
            accident_id=accident.pk,
            kind=data["kind"],
            findings=data.get("findings") or "",
            close=data["close"] if "close" in form.changed_data else None,
        )

    return _run(request, pk, form, "track_forms", call, _("Track updated."), key=kind)


@login_required
@require_POST
def conclude_view(request, pk: int):
    def call(accident, data):
        return services.investigation_conclude(actor=request.user, accident_id=accident.pk, **data)

    return _run(request, pk, ConcludeForm(request.POST), "conclude_form", call, _("Case concluded."))


@login_required
@require_POST
def decision_view(request, pk: int):
    organizations = organization_list(visible_to=request.user).order_by("name")[:500]

    def call(accident, data):
        return services.decision_create(
            actor=request.user,
            accident_id=accident.pk,
            subject=data["subject"],
            kind=data["kind"],
            basis=data["basis"],
            amount=data.get("amount"),
            organization=data.get("organization"),
            person_name=data.get("person_name") or "",
            previous_year_income=data.get("previous_year_income"),
            aggravated=bool(data.get("aggravated")),
            outside_range_reason=data.get("outside_range_reason") or "",
        )

    form = DecisionForm(request.POST, organizations=organizations)
    return _run(request, pk, form, "decision_form", call, _("Decision recorded."))
