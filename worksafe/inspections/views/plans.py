"""Inspection plan pages: a rule or a random draw, and the plan with what it drew."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from worksafe.core.pages import call_service

from .. import forms, rules, services
from ..selectors import inspection_list, plan_list
from .common import require


@login_required
def plan_new(request):
    require(rules.may_plan(request.user))
    form = forms.PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        criteria = {
            name: data.pop(name)
            for name in ("industry", "region", "with_open_major_hazards", "days_since_last_inspection")
        }
        pool = [u.pk for u in data.pop("pool")]
        plan = call_service(
            request,
            lambda: services.plan_create(actor=request.user, criteria=criteria, pool=pool, **data),
            form=form,
        )
        if plan is not None:
            return redirect("inspections:plan", pk=plan.pk)
    return render(request, "inspections/plan_new.html", {"form": form})


@login_required
def plan_detail(request, pk: int):
    plan = get_object_or_404(plan_list(visible_to=request.user), pk=pk)
    inspections = inspection_list(visible_to=request.user).filter(plan=plan).prefetch_related("team")
    return render(request, "inspections/plan.html", {"plan": plan, "inspections": inspections})
