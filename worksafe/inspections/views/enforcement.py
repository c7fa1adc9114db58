"""Enforcement pages, and the activity report of who inspects but never enforces."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from worksafe.core import xlsx
from worksafe.core.pages import call_service

from .. import forms, rules, services
from ..models import Enforcement
from ..selectors import activity, enforcement_list, reinspection_list
from .common import page, require


@login_required
def enforcement_list_view(request):
    user = request.user
    require(rules.may_view_enforcement(user))
    items, more = page(enforcement_list(visible_to=user), request)
    for action in items:
        action.may_complete = action.status == Enforcement.Status.ISSUED and rules.may_complete_enforcement(
            user, action
        )
        action.may_act = rules.may_act_on_referral(user, action)
    return render(
        request,
        "inspections/enforcement_list.html",
        {
            "may_enforce": rules.may_enforce(user),
            "actions": items,
            "more": more,
            "may_plan": rules.may_plan(user),
            "reinspection": reinspection_list(visible_to=request.user).order_by("name")[:100],
        },
    )


@login_required
def enforcement_new(request):
    require(rules.may_enforce(request.user))
    status = 200
    form = forms.EnforcementForm(request.POST or None, user=request.user, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reason = rules.why_not_enforce(request.user, data["target"], data["kind"])
        data["target"] = data["target"].pk
        data["referred_to"] = data["referred_to"].pk if data["referred_to"] else None
        if reason:
            # Forbidden for this enterprise and kind, like the API; the form keeps what was typed,
            # since the usual next step is to refer the same case instead.
            form.add_error("kind", reason)
            status = 403
        elif call_service(
            request, lambda: services.enforcement_create(actor=request.user, **data), form=form
        ):
            messages.success(request, _("Enforcement action recorded."))
            return redirect("inspections:enforcement_list")
    return render(request, "inspections/enforcement_new.html", {"form": form}, status=status)


@login_required
@require_POST
def enforcement_complete(request, pk: int):
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    done = call_service(
        request,
        lambda: services.enforcement_complete(
            actor=request.user, enforcement_id=pk, version=version, note=request.POST.get("note", "")
        ),
    )
    if done is not None:
        messages.success(request, _("Completion recorded."))
    return redirect("inspections:enforcement_list")


# --- who inspects but never enforces --------------------------------------------------------


def _period(request) -> tuple[date, date, forms.PeriodForm]:
    form = forms.PeriodForm(request.GET or None)
    end = timezone.localdate()
    start = date.fromordinal(end.toordinal() - 89)
    if form.is_valid():
        end = form.cleaned_data["end"] or end
        start = form.cleaned_data["start"] or date.fromordinal(end.toordinal() - 89)
    if start > end:
        start, end = end, start
    return start, end, form


@login_required
def activity_view(request):
    require(rules.may_view_activity(request.user))
    start, end, form = _period(request)
    rows = activity(visible_to=request.user, start=start, end=end)
    if request.GET.get("format") == "xlsx" and not form.errors:
        return _xlsx(rows, start, end)
    return render(
        request,
        "inspections/activity.html",
        {"rows": rows, "form": form, "start": start, "end": end},
        status=422 if form.errors else 200,
    )


def _xlsx(rows, start: date, end: date) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Activity")
    sheet.append([_("Period"), start.isoformat(), end.isoformat()])
    sheet.append(
        [
            _("Kind"),
            _("Name"),
            _("Department"),
            _("Inspections"),
            _("Hidden dangers"),
            _("Enforcement"),
            _("Only inspects"),
        ]
    )
    for row in rows:
        xlsx.append(
            sheet,
            [
                _("Department") if row.kind == "department" else _("Inspector"),
                row.name,
                row.department,
                row.inspections,
                row.hazards,
                row.enforcement,
                _("yes") if row.only_inspects else "",
            ],
        )
    return xlsx.xlsx_response(book, f"activity-{start}-{end}.xlsx")
