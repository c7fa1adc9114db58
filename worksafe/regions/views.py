"""Pages of the region tree, for the administrator: browse, add, rename."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from worksafe.core.pages import call_service

from . import rules, services
from .forms import RegionForm
from .selectors import region_get, region_list, region_subtree


def _require_manager(request) -> None:
    if not rules.may_manage_regions(request.user):
        raise PermissionDenied(_("Only an administrator adds regions."))


def _parents() -> list[tuple[str, str]]:
    # Townships have no children (§7.2), so they are never offered as parents.
    return [(r.code, f"{r.name} ({r.code})") for r in region_subtree() if len(r.code) == 6]


@login_required
def region_list_view(request):
    """One level of the tree (the children of ?parent=), or the matches of a search ?q=."""
    _require_manager(request)
    parent = region_get(request.GET.get("parent", "")[:9]) if request.GET.get("parent") else None
    q = request.GET.get("q", "").strip()[:100]
    if q:
        regions = region_subtree().filter(Q(code__startswith=q) | Q(name__icontains=q))[:200]
    else:
        regions = region_list(parent=parent.code if parent else None)
    return render(request, "regions/region_list.html", {"regions": regions, "parent": parent, "q": q})


@login_required
def region_create_view(request):
    _require_manager(request)
    form = RegionForm(request.POST or None, parents=_parents(), initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        region = call_service(
            request,
            lambda: services.region_create(
                actor=request.user,
                code=data["code"],
                name=data["name"],
                parent=data["parent"] or None,
                edition=data["edition"],
            ),
            form=form,
        )
        if region is not None:
            messages.success(request, _("Region %(name)s added.") % {"name": region.name})
            return redirect(f"{reverse('regions:list')}?parent={region.parent_id or ''}")
    return render(request, "regions/region_form.html", {"form": form}, status=422 if form.errors else 200)


@login_required
def region_edit_view(request, code: str):
    _require_manager(request)
    region = region_get(code)
    if region is None:
        raise Http404
    initial = {
        "code": region.code,
        "name": region.name,
        "parent": region.parent_id,
        "edition": region.edition,
    }
    form = RegionForm(request.POST or None, parents=_parents(), region=region, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = call_service(
            request,
            lambda: services.region_update(
                actor=request.user, code=region.code, name=data["name"], edition=data["edition"]
            ),
            form=form,
        )
        if saved is not None:
            messages.success(request, _("Region %(name)s saved.") % {"name": saved.name})
            return redirect("regions:edit", code=region.code)
    return render(
        request,
        "regions/region_form.html",
        {"form": form, "region": region},
        status=422 if form.errors else 200,
    )
