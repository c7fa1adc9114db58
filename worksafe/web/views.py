"""Pages of the hidden-danger register and the enterprise directory.

Thin by design: objects come through the scoped selectors, writes go through the services, and
`call_service` is the one place that turns domain errors into what a page shows.
"""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from worksafe.core import xlsx
from worksafe.core.errors import Forbidden, Invalid, NotFound, StaleVersion
from worksafe.core.pagination import keyset_page
from worksafe.core.uploads import attachment_response
from worksafe.hazards import rules, services
from worksafe.hazards.models import Hazard
from worksafe.hazards.selectors import (
    HazardFilters,
    hazard_events,
    hazard_list,
    hazard_search,
    hazard_stats,
    home_counts,
)
from worksafe.orgs.models import Industry, Role
from worksafe.orgs.selectors import enterprise_list
from worksafe.regions.models import in_subtree

from .forms import EnterpriseFilterForm, EvidenceForm, HazardFilterForm, HazardForm, PlanForm, TransitionForm

PAGE_SIZE = 25
EXPORT_LIMIT = 10_000
HOME_LIST_SIZE = 8


# --- domain errors → pages -------------------------------------------------------------------


def forbidden(request, reason) -> HttpResponse:
    return render(request, "403.html", {"reason": reason}, status=403)


def call_service(request, form, call: Callable):
    """Run a service for a page: (result, None) on success, (None, 403 page) when forbidden,
    (None, None) with the errors put next to the form's fields (Invalid) or a message and
    `form.stale` set (StaleVersion). Out of scope is a 404 like any unknown object."""
    try:
        return call(), None
    except NotFound:
        raise Http404 from None
    except Forbidden as exc:
        return None, forbidden(request, exc.detail)
    except StaleVersion as exc:
        messages.warning(request, exc.detail)
        form.stale = True
        return None, None
    except Invalid as exc:
        if not exc.errors:
            form.add_error(None, str(exc.detail))
        for field, errors in exc.errors.items():
            form.add_error(field if field in form.fields else None, [str(e) for e in errors])
        return None, None


def _posted_initial(request, version: int) -> dict:
    """What the user typed, with the current version: a stale form is shown again, not lost."""
    initial = {key: request.POST.get(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    initial["version"] = version
    return initial


# --- home --------------------------------------------------------------------------------------


def _bar_class(count: int, top: int) -> str:
    """Width class in 5% steps (the stylesheet defines .w-0 … .w-100; CSP forbids inline styles)."""
    if not top or not count:
        return "w-0"
    return f"w-{max(5, round(count * 20 / top) * 5)}"


@login_required
def home(request):
    user = request.user
    scope = hazard_list(visible_to=user)
    counts = home_counts(visible_to=user)
    base = reverse("web:hazard_list")
    tiles = [
        ("open", _("Open"), counts["open"], f"{base}?open=1", ""),
        ("overdue", _("Overdue"), counts["overdue"], f"{base}?overdue=1", "alert"),
        ("major", _("Major, open"), counts["major"], f"{base}?level=major&open=1", "major"),
        ("due_this_week", _("Due within 7 days"), counts["due_this_week"], f"{base}?due=week", ""),
        (
            "pending_acceptance",
            _("Pending acceptance"),
            counts["pending_acceptance"],
            f"{base}?status=pending_acceptance",
            "",
        ),
    ]
    stats = hazard_stats(scope)
    top = max(stats["by_status"].values(), default=0)
    chart = [
        {
            "status": code,
            "label": Hazard.Status(code).label,
            "count": count,
            "bar": _bar_class(count, top),
            "url": f"{base}?status={code}",
        }
        for code, count in stats["by_status"].items()
    ]
    latest = list(scope.order_by("-pk")[:HOME_LIST_SIZE])
    pending = assigned = None
    if user.role in (Role.ADMIN, Role.OFFICE, Role.INSPECTOR, Role.LEADER):
        pending = list(
            scope.filter(status=Hazard.Status.PENDING_ACCEPTANCE).order_by("due_date", "pk")[:HOME_LIST_SIZE]
        )
    if user.role == Role.EXPERT:
        assigned = list(
            scope.filter(status__in=Hazard.OPEN_STATUSES).order_by("due_date", "pk")[:HOME_LIST_SIZE]
        )
    return render(
        request,
        "web/home.html",
        {
            "counts": counts,
            "tiles": tiles,
            "chart": chart,
            "total": stats["total"],
            "latest": latest,
            "pending": pending,
            "assigned": assigned,
            "today": timezone.localdate(),
            "may_report": rules.may_report(user),
        },
    )


# --- the register ------------------------------------------------------------------------------


def _hazard_queryset(user, values: dict):
    filters = HazardFilters(
        status=values.get("status") or None,
        level=values.get("level") or None,
        region=values.get("region") or None,
        industry=values.get("industry") or None,
        enterprise=values.get("enterprise") or None,
        overdue=values.get("overdue"),
        q=values.get("q") or None,
    )
    today = timezone.localdate()
    queryset = hazard_search(visible_to=user, filters=filters, today=today)
    if values.get("open"):
        queryset = queryset.filter(status__in=Hazard.OPEN_STATUSES)
    if values.get("due") == "week":
        queryset = queryset.filter(
            status__in=Hazard.OPEN_STATUSES, due_date__gte=today, due_date__lte=today + timedelta(days=7)
        )
    return queryset


def _page(queryset, request):
    try:
        return keyset_page(queryset, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE)
    except Invalid:
        # A mangled cursor starts over at the first page instead of failing.
        return keyset_page(queryset, cursor=None, limit=PAGE_SIZE)


def _query_without_cursor(request) -> str:
    params = request.GET.copy()
    params.pop("cursor", None)
    return params.urlencode()


@login_required
def hazard_list_view(request):
    form = HazardFilterForm(request.GET)
    items, cursor = _page(_hazard_queryset(request.user, form.filter_values()), request)
    context = {
        "form": form,
        "hazards": items,
        "next_cursor": cursor,
        "query": _query_without_cursor(request),
        "today": timezone.localdate(),
        "may_report": rules.may_report(request.user),
        "export_limit": EXPORT_LIMIT,
    }
    if request.htmx and request.GET.get("cursor"):
        return render(request, "web/hazard_list.html#rows", context)
    return render(request, "web/hazard_list.html", context)


@login_required
def hazard_export(request):
    """The register as an Excel ledger, with the list's filters, at most EXPORT_LIMIT rows."""
    form = HazardFilterForm(request.GET)
    queryset = _hazard_queryset(request.user, form.filter_values()).order_by("-pk")
    today = timezone.localdate()
    workbook = Workbook(write_only=True)  # streams rows: the register may be long
    sheet = workbook.create_sheet(_("Hidden dangers"))
    for column, width in zip(
        "ABCDEFGHIJKLMN", (22, 40, 30, 14, 14, 8, 12, 12, 12, 10, 14, 24, 10, 18), strict=True
    ):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    sheet.append(
        [
            _("Number"),
            _("Title"),
            _("Enterprise"),
            _("Region"),
            _("Industry"),
            _("Level"),
            pgettext("hazard", "Source"),
            _("Status"),
            _("Due date"),
            _("Days overdue"),
            _("Responsible person"),
            _("Location"),
            _("Rejections"),
            _("Registered at"),
        ]
    )
    # Labels translated once: get_FOO_display() per cell costs more than writing the sheet.
    industries = {code: str(label) for code, label in Industry.choices}
    levels = {code: str(label) for code, label in Hazard.Level.choices}
    sources = {code: str(label) for code, label in Hazard.Source.choices}
    statuses = {code: str(label) for code, label in Hazard.Status.choices}
    for count, hazard in enumerate(queryset[: EXPORT_LIMIT + 1].iterator(chunk_size=2000), start=1):
        if count > EXPORT_LIMIT:
            sheet.append(
                [
                    _("Only the first %(n)s rows are exported; narrow the filters for the rest.")
                    % {"n": EXPORT_LIMIT}
                ]
            )
            break
        xlsx.append(
            sheet,
            [
                hazard.number,
                hazard.title,
                hazard.enterprise.name,
                hazard.region.name,
                industries.get(hazard.industry, hazard.industry),
                levels.get(hazard.level, hazard.level),
                sources.get(hazard.source, hazard.source),
                statuses.get(hazard.status, hazard.status),
                hazard.due_date,
                hazard.days_overdue(today),
                hazard.responsible_person,
                hazard.location,
                hazard.rejection_count,
                timezone.localtime(hazard.created_at).replace(tzinfo=None),
            ],
        )
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

        def create() -> Hazard:
            # The photo belongs to the report: a rejected photo registers nothing.
            with transaction.atomic():
                hazard = services.hazard_create(
                    actor=user,
                    enterprise=data["enterprise"].pk,
                    title=data["title"],
                    description=data["description"],
                    location=data["location"],
                    level=data["level"],
                    source=data["source"],
                    due_date=data["due_date"],
                    responsible_person=data["responsible_person"],
                )
                if data.get("file"):
                    services.hazard_add_evidence(
                        actor=user, hazard_id=hazard.pk, upload=data["file"], kind="before"
                    )
                return hazard

        hazard, response = call_service(request, form, create)
        if response:
            return response
        if hazard:
            messages.success(request, _("Hidden danger %(number)s registered.") % {"number": hazard.number})
            return redirect(f"{reverse('web:hazard_detail', args=[hazard.pk])}?registered=1")
    return render(request, "web/hazard_form.html", {"form": form})


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
    if action in Hazard.ACTION_LABELS:
        return Hazard.ACTION_LABELS[action]
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
    if action_form is not None and action_form not in action_forms:
        # The action is no longer offered (the status moved on): say why in words.
        for errors in action_form.errors.values():
            for error in errors:
                messages.error(request, error)
    for form in action_forms:
        form.label = Hazard.ACTION_LABELS[form.action_name]
    events = [
        {
            "at": event.at,
            "actor": event.actor_label,
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
        "evidence": list(hazard.evidence.all()),
        "evidence_form": evidence_form if may_evidence else None,
        "plan_fields": plan_fields,
        "plan_filled": sum(1 for _label, value in plan_fields if value not in (None, "")),
        "may_edit_plan": rules.may_edit_plan(user, hazard),
        "registered": request.GET.get("registered") == "1",
    }
    return render(request, "web/hazard_detail.html", context, status=status)


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
    done, response = call_service(
        request,
        form,
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
    )
    if response:
        return response
    if done:
        messages.success(request, _("%(action)s: done.") % {"action": Hazard.ACTION_LABELS[action]})
        return redirect("web:hazard_detail", pk=hazard.pk)
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
            done, response = call_service(
                request,
                form,
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
            )
            if response:
                return response
            if done:
                messages.success(request, _("Plan saved."))
                return redirect("web:hazard_detail", pk=hazard.pk)
            if getattr(form, "stale", False):
                hazard = _hazard_or_404(request, pk)
                form = PlanForm(initial=_posted_initial(request, hazard.version))
                status = 409
    return render(request, "web/hazard_plan.html", {"hazard": hazard, "form": form}, status=status)


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
        done, response = call_service(
            request,
            form,
            lambda: services.hazard_add_evidence(
                actor=user, hazard_id=hazard.pk, upload=data["file"], kind=data["kind"]
            ),
        )
        if response:
            return response
        if done:
            messages.success(request, _("Evidence uploaded."))
            return redirect("web:hazard_detail", pk=hazard.pk)
    return _render_detail(request, hazard, evidence_form=form)


@login_required
def evidence_file(request, pk: int, eid: int):
    hazard = _hazard_or_404(request, pk)
    evidence = get_object_or_404(hazard.evidence.all(), pk=eid)
    return attachment_response(evidence.file, evidence.content_type)


# --- enterprises -------------------------------------------------------------------------------


@login_required
def enterprise_list_view(request):
    form = EnterpriseFilterForm(request.GET)
    values = form.filter_values()
    queryset = enterprise_list(visible_to=request.user)
    if values.get("region"):
        queryset = queryset.filter(in_subtree("region_id", values["region"]))
    if values.get("industry"):
        queryset = queryset.filter(industry=values["industry"])
    if values.get("q"):
        text = values["q"].strip()
        queryset = queryset.filter(Q(name__icontains=text) | Q(uscc__icontains=text))
    items, cursor = _page(queryset, request)
    context = {
        "form": form,
        "enterprises": items,
        "next_cursor": cursor,
        "query": _query_without_cursor(request),
    }
    if request.htmx and request.GET.get("cursor"):
        return render(request, "web/enterprise_list.html#rows", context)
    return render(request, "web/enterprise_list.html", context)


@login_required
def enterprise_detail(request, pk: int):
    enterprise = get_object_or_404(enterprise_list(visible_to=request.user), pk=pk)
    hazards = hazard_list(visible_to=request.user).filter(enterprise_id=enterprise.pk)
    return render(
        request,
        "web/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "stats": hazard_stats(hazards),
            "hazards": list(hazards.order_by("-pk")[:PAGE_SIZE]),
            "today": timezone.localdate(),
            "may_report": rules.may_report(request.user),
        },
    )
