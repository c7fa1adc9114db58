"""Checklist pages: the templates, their items, and copying one to adapt it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from worksafe.core.pages import call_service

from .. import forms, rules, services
from ..selectors import checklist_in_use, checklist_list
from .common import require


@login_required
def checklist_list_view(request):
    require(rules.may_view_inspections(request.user))
    return render(
        request,
        "inspections/checklists.html",
        {"checklists": checklist_list(visible_to=request.user).order_by("industry", "code", "-version")},
    )


@login_required
def checklist_detail(request, pk: int):
    template = get_object_or_404(checklist_list(visible_to=request.user).prefetch_related("items"), pk=pk)
    item_form = forms.ChecklistItemForm(request.POST or None)
    remove = request.POST.get("remove", "")
    if request.method == "POST" and remove:
        if not remove.isdigit():
            raise Http404
        call_service(
            request,
            lambda: services.checklist_item_remove(actor=request.user, template_id=pk, item_id=int(remove)),
        )
        return redirect("inspections:checklist", pk=pk)
    elif request.method == "POST" and item_form.is_valid():
        added = call_service(
            request,
            lambda: services.checklist_item_add(actor=request.user, template_id=pk, **item_form.cleaned_data),
            form=item_form,
        )
        if added is not None:
            messages.success(request, _("Item added."))
            return redirect("inspections:checklist", pk=pk)
    may_edit = rules.may_edit_checklist(request.user, template) and not checklist_in_use(template)
    return render(
        request,
        "inspections/checklist.html",
        {
            "template": template,
            "item_form": item_form,
            "copy_form": forms.CopyForm(),
            "may_copy": rules.may_adapt_checklists(request.user),
            "may_edit": may_edit,
        },
    )


@login_required
@require_POST
def checklist_copy(request, pk: int):
    form = forms.CopyForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    copy = call_service(
        request, lambda: services.checklist_copy(actor=request.user, template_id=pk, name=name)
    )
    if copy is None:
        return redirect("inspections:checklist", pk=pk)
    messages.success(request, _("Copied; adapt your version below."))
    return redirect("inspections:checklist", pk=copy.pk)
