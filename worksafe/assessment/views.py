"""Pages: assessment periods, the ranking with its chart and breakdown, and the Excel export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from worksafe.accidents.models import Grade
from worksafe.core.pages import call_service
from worksafe.core.xlsx import xlsx_response
from worksafe.orgs.models import Organization
from worksafe.orgs.selectors import organization_list

from . import rules, services
from .export import ranking_workbook
from .forms import IndicatorForm, IndicatorWeightForm, ManualScoreForm, PeriodForm, SubjectForm
from .models import Indicator, Period
from .selectors import period_list, results


def _bar_class(score, total) -> str:
    """A width class in 5 % steps (CSS classes, since the CSP forbids inline styles)."""
    if not total:
        return "w-0"
    percent = max(0, min(100, round(float(score) / float(total) * 20) * 5))
    return f"w-{percent}"


@login_required
def period_list_view(request):
    if not rules.may_view_assessments(request.user):
        raise PermissionDenied
    periods = period_list(visible_to=request.user).order_by("-starts_on", "-pk")[:200]
    return render(
        request,
        "assessment/list.html",
        {"periods": periods, "may_manage": rules.may_create_period(request.user)},
    )


@login_required
def period_create_view(request):
    if not rules.may_create_period(request.user):
        raise PermissionDenied(_("Only an office sets up assessments."))
    initial = {"region": request.user.organization.region_id} if request.user.organization else {}
    form = PeriodForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        period = call_service(
            request, lambda: services.period_create(actor=request.user, **form.cleaned_data), form=form
        )
        if period is not None:
            return redirect("assessment:detail", pk=period.pk)
    return render(request, "assessment/form.html", {"form": form}, status=422 if form.errors else 200)


def _period(request, pk: int):
    return get_object_or_404(period_list(visible_to=request.user), pk=pk)


def _detail(request, period, status=200, **forms):
    rows = list(results(period))
    indicators = list(period.indicators.all())
    total = sum((i.weight for i in indicators), 0)
    for row in rows:
        row.bar = _bar_class(row.score, total)
    actions = rules.period_actions(request.user, period)
    subjects = list(period.subjects.all())
    departments = (
        organization_list(visible_to=request.user).filter(kind=Organization.Kind.DEPARTMENT).order_by("name")
    )
    manual = [i for i in indicators if i.metric == Indicator.Metric.MANUAL]
    grades = dict(Grade.choices)
    context = {
        "period": period,
        "veto_labels": [grades.get(g, g) for g in period.veto_grades],
        "results": rows,
        "indicators": indicators,
        "total_weight": total,
        "subjects": subjects,
        # Changes are made while the period may still be published, i.e. in draft.
        "may_manage": Period.Action.PUBLISH in actions,
        "may_publish": Period.Action.PUBLISH in actions and period.computed_at is not None,
        "may_reopen": Period.Action.REOPEN in actions,
        "subject_form": SubjectForm(departments=departments[:500]),
        "indicator_form": IndicatorForm(),
        "manual_form": ManualScoreForm(subjects=subjects, indicators=manual) if manual and subjects else None,
    }
    context.update(forms)
    return render(request, "assessment/detail.html", context, status=status)


@login_required
def period_detail_view(request, pk: int):
    return _detail(request, _period(request, pk))


@login_required
def period_export_view(request, pk: int):
    period = _period(request, pk)
    return xlsx_response(ranking_workbook(period), f"assessment-{period.pk}.xlsx")


@login_required
@require_POST
def subject_add_view(request, pk: int):
    period = _period(request, pk)
    departments = organization_list(visible_to=request.user).filter(kind=Organization.Kind.DEPARTMENT)
    form = SubjectForm(request.POST, departments=departments[:500])
    if form.is_valid():
        added = call_service(
            request,
            lambda: services.subject_add(actor=request.user, period_id=period.pk, **form.cleaned_data),
            form=form,
        )
        if added is not None:
            return redirect("assessment:detail", pk=period.pk)
    return _detail(request, period, status=422, subject_form=form)


@login_required
@require_POST
def indicator_add_view(request, pk: int):
    period = _period(request, pk)
    form = IndicatorForm(request.POST)
    if form.is_valid():
        added = call_service(
            request,
            lambda: services.indicator_add(actor=request.user, period_id=period.pk, **form.cleaned_data),
            form=form,
        )
        if added is not None:
            messages.success(request, _("Indicator added."))
            return redirect("assessment:detail", pk=period.pk)
    return _detail(request, period, status=422, indicator_form=form)


@login_required
@require_POST
def indicator_update_view(request, pk: int, indicator_pk: int):
    period = _period(request, pk)
    form = IndicatorWeightForm(request.POST)
    if form.is_valid():
        saved = call_service(
            request,
            lambda: services.indicator_update(
                actor=request.user, period_id=period.pk, indicator_id=indicator_pk, **form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("Weight saved."))
    else:
        messages.error(request, _("Enter a weight from 0.01 to 1000."))
    return redirect("assessment:detail", pk=period.pk)


@login_required
@require_POST
def manual_score_view(request, pk: int):
    period = _period(request, pk)
    manual = period.indicators.filter(metric=Indicator.Metric.MANUAL)
    form = ManualScoreForm(request.POST, subjects=period.subjects.all(), indicators=manual)
    if form.is_valid():
        data = form.cleaned_data
        saved = call_service(
            request,
            lambda: services.manual_score_set(
                actor=request.user,
                period_id=period.pk,
                subject_id=data["subject"],
                indicator_id=data["indicator"],
                score=data["score"],
                evidence=data["evidence"],
            ),
            form=form,
        )
        if saved is not None:
            messages.success(request, _("Manual score saved."))
            return redirect("assessment:detail", pk=period.pk)
    return _detail(request, period, status=422, manual_form=form)


@login_required
@require_POST
def compute_view(request, pk: int):
    period = _period(request, pk)
    if (
        call_service(request, lambda: services.period_compute(actor=request.user, period_id=period.pk))
        is not None
    ):
        messages.success(request, _("Results computed."))
    return redirect("assessment:detail", pk=period.pk)


@login_required
@require_POST
def transition_view(request, pk: int):
    period = _period(request, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    call_service(
        request,
        lambda: services.period_transition(
            actor=request.user, period_id=period.pk, action=request.POST.get("action", ""), version=version
        ),
        stale=_("Someone changed this assessment meanwhile; here is the current state."),
    )
    return redirect("assessment:detail", pk=period.pk)
