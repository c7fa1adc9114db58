"""Pages of the hidden-danger register: the list, its export and batch actions, registering, the
detail page with its actions, the rectification plan and the evidence.

Thin by design: objects come through the scoped selectors, writes go through the services, and
`core.pages.call_service` turns domain errors into what a page shows.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST

from worksafe.core import xlsx
from worksafe.core.pages import call_service, cursor_page, forbidden, query_without
from worksafe.core.uploads import attachment_response

from . import rules, services
from .export import register_workbook
from .forms import BulkForm, EvidenceForm, HazardFilterForm, HazardForm, PlanForm, TransitionForm
from .models import Evidence, Hazard
from .selectors import (
    DUE_SOON_DAYS,
    HazardFilters,
    hazard_events,
    hazard_list,
    hazard_search,
    hazard_search_count,
)

PAGE_SIZE = 25
EXPORT_LIMIT = 10_000


def _posted_initial(request, version: int) -> dict:
    """Warns that the record changed meanwhile, and returns what the user typed with the current
    version: a stale form is shown again, not lost."""
    messages.warning(
        request,
        _(
            "Someone changed this record while you were editing. The page now shows their "
            "change; what you typed is kept below."
        ),
    )
    initial = {key: request.POST.get(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    initial["version"] = version
    return initial


# --- the register ------------------------------------------------------------------------------


def _hazard_filters(values: dict) -> HazardFilters:
    return HazardFilters(
        status=values.get("status") or None,
        level=values.get("level") or None,
        region=values.get("region") or None,
        industry=values.get("industry") or None,
        enterprise=values["enterprise"].pk if values.get("enterprise") else None,
        overdue=values.get("overdue"),
        q=values.get("q") or None,
        open=bool(values.get("open")),
        due_within_days=DUE_SOON_DAYS if values.get("due") == "week" else None,
    )


def _hazard_queryset(user, values: dict):
    return hazard_search(visible_to=user, filters=_hazard_filters(values), today=timezone.localdate())


@login_required
def hazard_list_view(request):
    user = request.user
    form = HazardFilterForm(request.GET, user=user)
    values = form.filter_values()
    order = HazardFilterForm.SORTS[values.get("sort") or "newest"]
    queryset = _hazard_queryset(user, values)
    items, cursor = cursor_page(queryset, request, order=order, size=PAGE_SIZE)
    context = {
        "form": form,
        "hazards": items,
        "next_cursor": cursor,
        "query": query_without(request),
        "today": timezone.localdate(),
        "may_report": rules.may_report(user),
        "may_bulk": rules.may_act_in_bulk(user),
        "export_limit": EXPORT_LIMIT,
    }
    if request.htmx and request.GET.get("cursor"):
        return render(request, "hazards/list.html#rows", context)
    total, exact = hazard_search_count(visible_to=user, filters=_hazard_filters(values))
    context.update(
        total=total,
        total_exact=exact,
        sort_query=query_without(request, "sort"),
        sorts=HazardFilterForm.SORT_LABELS,
        sort=values.get("sort") or "newest",
        bulk_form=BulkForm(),
    )
    return render(request, "hazards/list.html", context)


def _selected(values) -> list[tuple[int, int]]:
    """The ticked rows as (id, version) pairs; what is not of that shape is dropped."""
    items = []
    for value in values:
        hazard_id, _sep, version = value.partition(":")
        if hazard_id.isdigit() and version.isdigit() and len(hazard_id) < 19 and len(version) < 19:
            items.append((int(hazard_id), int(version)))
    return items


@login_required
@require_POST
def hazard_bulk(request):
    """Batch assign or accept: each hazard through the same service and rules as one at a time,
    and a page that names what was done and what was refused, and why."""
    user = request.user
    if not rules.may_act_in_bulk(user):
        return forbidden(request, _("Your role does not act on hidden dangers."))
    form = BulkForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request, f"{form.fields[field].label}: {error}" if field in form.fields else error
                )
        return redirect(f"{reverse('hazards:list')}?{request.POST.get('back', '')}")
    data = form.cleaned_data
    action = data["action"]
    outcomes = call_service(
        request,
        lambda: services.hazard_transition_many(
            actor=user,
            items=_selected(request.POST.getlist("ids")),
            action=action,
            note=data["note"],
            due_date=data["due_date"] if action == "assign" else None,
            responsible_person=(data["responsible_person"] or None) if action == "assign" else None,
        ),
        form=form,
    )
    if outcomes is None:
        for error in form.non_field_errors() or [e for errs in form.errors.values() for e in errs]:
            messages.error(request, error)
        return redirect(f"{reverse('hazards:list')}?{request.POST.get('back', '')}")
    ids = [outcome.hazard_id for outcome in outcomes]
    numbers = dict(hazard_list(visible_to=user).filter(pk__in=ids).values_list("pk", "number"))
    rows = [
        {
            "outcome": outcome,
            "number": numbers.get(outcome.hazard_id),
            "detail": outcome.detail if outcome.status != 404 else _("Not found."),
        }
        for outcome in outcomes
    ]
    done = sum(1 for outcome in outcomes if outcome.status == 200)
    return render(
        request,
        "hazards/bulk.html",
        {
            "rows": rows,
            "done": done,
            "refused": len(outcomes) - done,
            "label": Hazard.Action(action).label,
            "back": request.POST.get("back", ""),
        },
    )


@login_required
def hazard_export(request):
    """The register as an Excel ledger, with the list's filters, at most EXPORT_LIMIT rows."""
    # POST carries the rows ticked in the list ("export the selected"); GET the list's filters.
    selected = [hazard_id for hazard_id, _version in _selected(request.POST.getlist("ids"))]
    form = HazardFilterForm(request.GET, user=request.user)
    queryset = _hazard_queryset(request.user, form.filter_values()).order_by("-pk")
    if request.method == "POST":
        queryset = queryset.filter(pk__in=selected)
    today = timezone.localdate()
    workbook = register_workbook(queryset, today=today, limit=EXPORT_LIMIT)
    return xlsx.xlsx_response(workbook, f"hazards-{today:%Y%m%d}.xlsx")


@login_required
def hazard_create(request):
    user = request.user
    if not rules.may_report(user):
        return forbidden(request, _("Your role does not register hidden dangers."))
    initial = {}
    if request.GET.get("enterprise", "").isdigit():
        initial["enterprise"] = int(request.GET["enterprise"])
    form = HazardForm(request.POST or None, request.FILES or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        hazard = call_service(
            request,
            lambda: services.hazard_report(
                actor=user,
                enterprise=data["enterprise"].pk,
                title=data["title"],
                description=data["description"],
                location=data["location"],
                level=data["level"],
                source=data["source"],
                due_date=data["due_date"],
                responsible_person=data["responsible_person"],
                photo=data.get("file"),
            ),
            form=form,
        )
        if hazard:
            messages.success(request, _("Hidden danger %(number)s registered.") % {"number": hazard.number})
            return redirect(f"{reverse('hazards:detail', args=[hazard.pk])}?registered=1")
    return render(request, "hazards/form.html", {"form": form})


def _hazard_or_404(request, pk: int) -> Hazard:
    return get_object_or_404(
        hazard_list(visible_to=request.user).select_related("expert", "reported_by"), pk=pk
    )


# The escalation ladder's labels live in settings, outside any app's catalogue; naming them here
# keeps their translations with the pages that show them.
ESCALATION_MSGIDS = (
    gettext_noop("Reminder"),
    gettext_noop("Warning"),
    gettext_noop("Interview (约谈)"),
    gettext_noop("Public notification (通报)"),
    gettext_noop("Listed supervision (挂牌督办)"),
)

EVENT_LABELS = {
    "create": gettext_lazy("Registered"),
    "plan": gettext_lazy("Plan updated"),
    "evidence": gettext_lazy("Evidence added"),
}


def _event_label(action: str) -> str:
    if action in Hazard.Action.values:
        return Hazard.Action(action).label
    for code, _days, label in settings.WORKSAFE_ESCALATION_LADDER:
        if code == action:
            return label
    return EVENT_LABELS.get(action, action)


def _status_label(code: str) -> str:
    return Hazard.Status(code).label if code in Hazard.Status.values else code


def _render_detail(request, hazard: Hazard, *, action_form=None, evidence_form=None, status: int = 200):
    user = request.user
    action_forms = []
    for action in rules.allowed_actions(user, hazard):
        if action_form is not None and action_form.action_name == action:
            action_forms.append(action_form)
            continue
        action_forms.append(
            TransitionForm(
                user=user,
                action=action,
                initial={
                    "action": action,
                    "version": hazard.version,
                    "due_date": hazard.due_date,
                    "responsible_person": hazard.responsible_person,
                    "expert": hazard.expert_id,
                },
            )
        )
    kept_note = ""
    if action_form is not None and action_form not in action_forms:
        # The action is no longer offered (the status moved on): say why in words, and keep
        # what was typed where the user can copy it.
        for errors in action_form.errors.values():
            for error in errors:
                messages.error(request, error)
        kept_note = action_form["note"].value() or ""
    for form in action_forms:
        form.label = Hazard.Action(form.action_name).label
    events = [
        {
            "at": event.at,
            "actor": event.actor_display,
            "label": _event_label(event.action),
            "action": event.action,
            "from": _status_label(event.from_status) if event.from_status != event.to_status else "",
            "to": _status_label(event.to_status),
            "note": event.note,
        }
        for event in hazard_events(hazard)
    ]
    may_evidence = rules.may_add_evidence(user, hazard)
    if may_evidence and evidence_form is None:
        evidence_form = EvidenceForm(auto_id="evidence_%s")
    plan_fields = [
        (_("Measures"), hazard.plan_measures),
        (_("Person responsible"), hazard.plan_responsible_person),
        (_("Funds (yuan)"), hazard.plan_funds),
        (_("Deadline"), hazard.plan_deadline),
        (_("Contingency plan"), hazard.plan_contingency),
    ]
    context = {
        "hazard": hazard,
        "days_overdue": hazard.days_overdue(),
        "action_forms": action_forms,
        "events": events,
        "kept_note": kept_note,
        "evidence": list(hazard.evidence.all()),
        "evidence_kinds": Evidence.Kind.choices,
        "evidence_form": evidence_form if may_evidence else None,
        "plan_fields": plan_fields,
        "plan_filled": sum(1 for _label, value in plan_fields if value not in (None, "")),
        "may_edit_plan": rules.may_edit_plan(user, hazard),
        "registered": request.GET.get("registered") == "1",
    }
    return render(request, "hazards/detail.html", context, status=status)


@login_required
def hazard_detail(request, pk: int):
    return _render_detail(request, _hazard_or_404(request, pk))


@login_required
@require_POST
def hazard_transition(request, pk: int):
    user = request.user
    hazard = _hazard_or_404(request, pk)
    action = request.POST.get("action", "")
    if action not in Hazard.TRANSITIONS:
        messages.error(request, _("Unknown action."))
        return _render_detail(request, hazard, status=422)
    reason = rules.why_not(user, hazard, action)
    if reason:
        return forbidden(request, reason)
    form = TransitionForm(request.POST, user=user, action=action)
    if not form.is_valid():
        if "version" in form.errors:
            messages.error(request, _("The form was incomplete; please try again."))
            return _render_detail(request, hazard, status=422)
        return _render_detail(request, hazard, action_form=form)
    data = form.cleaned_data
    done = call_service(
        request,
        lambda: services.hazard_transition(
            actor=user,
            hazard_id=hazard.pk,
            action=action,
            version=data["version"],
            note=data["note"],
            due_date=data["due_date"] if action == "assign" else None,
            responsible_person=(data["responsible_person"] or None) if action == "assign" else None,
            expert=data["expert"].pk if action == "assign" and data["expert"] else None,
        ),
        form=form,
    )
    if done:
        messages.success(request, _("%(action)s: done.") % {"action": Hazard.Action(action).label})
        return redirect("hazards:detail", pk=hazard.pk)
    if getattr(form, "stale", False):
        fresh = _hazard_or_404(request, pk)
        retry = TransitionForm(user=user, action=action, initial=_posted_initial(request, fresh.version))
        return _render_detail(request, fresh, action_form=retry, status=409)
    return _render_detail(request, hazard, action_form=form)


@login_required
def hazard_plan(request, pk: int):
    user = request.user
    hazard = _hazard_or_404(request, pk)
    if not rules.may_edit_plan(user, hazard):
        return forbidden(request, _("You may not change the plan of this hidden danger now."))
    status = 200
    if request.method != "POST":
        form = PlanForm(initial=PlanForm.initial_for(hazard))
    else:
        form = PlanForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            done = call_service(
                request,
                lambda: services.hazard_plan(
                    actor=user,
                    hazard_id=hazard.pk,
                    version=data["version"],
                    measures=data["measures"],
                    responsible_person=data["responsible_person"],
                    funds=data["funds"],
                    deadline=data["deadline"],
                    contingency_plan=data["contingency_plan"],
                ),
                form=form,
            )
            if done:
                messages.success(request, _("Plan saved."))
                return redirect("hazards:detail", pk=hazard.pk)
            if getattr(form, "stale", False):
                hazard = _hazard_or_404(request, pk)
                form = PlanForm(initial=_posted_initial(request, hazard.version))
                status = 409
    return render(request, "hazards/plan.html", {"hazard": hazard, "form": form}, status=status)


@login_required
@require_POST
def hazard_evidence(request, pk: int):
    user = request.user
    hazard = _hazard_or_404(request, pk)
    if not rules.may_add_evidence(user, hazard):
        return forbidden(request, _("You may not add evidence to this hidden danger."))
    form = EvidenceForm(request.POST, request.FILES, auto_id="evidence_%s")
    if form.is_valid():
        data = form.cleaned_data
        done = call_service(
            request,
            lambda: services.hazard_add_evidence(
                actor=user, hazard_id=hazard.pk, upload=data["file"], kind=data["kind"]
            ),
            form=form,
        )
        if done:
            messages.success(request, _("Evidence uploaded."))
            return redirect("hazards:detail", pk=hazard.pk)
    return _render_detail(request, hazard, evidence_form=form)


@login_required
def evidence_file(request, pk: int, eid: int):
    hazard = _hazard_or_404(request, pk)
    evidence = get_object_or_404(hazard.evidence.all(), pk=eid)
    return attachment_response(evidence.file, evidence.content_type, inline=request.GET.get("inline") == "1")


@login_required
def evidence_view(request, pk: int, eid: int):
    """One photo full size, with the hazard's other photos of the opposite kind beside it."""
    hazard = _hazard_or_404(request, pk)
    evidence = list(hazard.evidence.all())
    shown = next((e for e in evidence if e.pk == eid and e.is_image), None)
    if shown is None:
        raise Http404
    return render(
        request,
        "hazards/evidence_view.html",
        {
            "hazard": hazard,
            "shown": shown,
            "before": [e for e in evidence if e.is_image and e.kind == "before"],
            "after": [e for e in evidence if e.is_image and e.kind == "after"],
        },
    )
