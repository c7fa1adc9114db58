"""Pages that span the apps: the home page, the enterprise directory and the pickers the forms
of every app share. Each app's own pages live in that app (the hazard register in hazards/).

Thin by design: objects come through the scoped selectors.
"""

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from worksafe.core.pages import cursor_page, forbidden, query_without
from worksafe.hazards import rules
from worksafe.hazards.models import Hazard
from worksafe.hazards.selectors import awaiting_acceptance, hazard_list, hazard_stats, home_counts, to_rectify
from worksafe.inspections import rules as inspection_rules
from worksafe.inspections.selectors import todays_inspections
from worksafe.orgs import rules as org_rules
from worksafe.orgs.models import Organization, Role
from worksafe.orgs.selectors import (
    OrganizationFilters,
    enterprise_list,
    enterprise_search,
    organization_search,
    region_choices,
)
from worksafe.regions.models import REGION_CODE

from .forms import EnterpriseFilterForm

PAGE_SIZE = 25
HOME_LIST_SIZE = 8


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
    base = reverse("hazards:list")
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
    return render(
        request,
        "web/home.html",
        {
            "heading": _home_heading(user),
            "counts": counts,
            "tiles": tiles,
            "chart": chart,
            "total": stats["total"],
            "latest": latest,
            "panels": _home_panels(user),
            "today": timezone.localdate(),
            "may_report": rules.may_report(user),
        },
    )


def _home_heading(user) -> str:
    if user.role == Role.ENTERPRISE_OFFICER:
        return _("Hidden dangers of your enterprise")
    if user.role == Role.EXPERT:
        return _("Hidden dangers assigned to you")
    return _("Hidden dangers in your area")


def _short_list(queryset) -> tuple[int, list]:
    """The first few and how many in all; counted separately only when there are more."""
    items = list(queryset[:HOME_LIST_SIZE])
    return (len(items) if len(items) < HOME_LIST_SIZE else queryset.count()), items


def _panel(key: str, title: str, queryset, url: str) -> dict:
    count, items = _short_list(queryset)
    return {"key": key, "title": title, "count": count, "items": items, "url": url}


def _home_panels(user) -> list[dict]:
    """What waits for this user, each with its count and the first few: only what the rules let
    the user act on, so a leader's home offers nothing to do."""
    register = reverse("hazards:list")
    panels = []
    if rules.may_rectify(user):
        panels.append(
            _panel(
                "to_rectify", _("To rectify"), to_rectify(visible_to=user), f"{register}?status=rectifying"
            )
        )
    if rules.reviews_assigned_only(user):
        assigned = (
            hazard_list(visible_to=user).filter(status__in=Hazard.OPEN_STATUSES).order_by("due_date", "pk")
        )
        panels.append(_panel("assigned", _("Assigned to you for review"), assigned, f"{register}?open=1"))
    if inspection_rules.may_plan(user):
        inspections = todays_inspections(visible_to=user, today=timezone.localdate())
        panels.append(
            _panel("inspections", _("Your inspections today"), inspections, reverse("inspections:list"))
        )
    if rules.may_verify(user):
        panels.append(
            _panel(
                "to_accept",
                _("Awaiting your acceptance"),
                awaiting_acceptance(visible_to=user),
                f"{register}?status=pending_acceptance",
            )
        )
    return panels


# --- enterprises -------------------------------------------------------------------------------


@login_required
def enterprise_list_view(request):
    if not org_rules.may_list_enterprises(request.user):
        return forbidden(request, _("Your role has no enterprise directory."))
    form = EnterpriseFilterForm(request.GET)
    values = form.filter_values()
    filters = OrganizationFilters(
        kind=Organization.Kind.ENTERPRISE,
        region=values.get("region") or None,
        industry=values.get("industry") or None,
        q=values.get("q") or None,
    )
    queryset = organization_search(visible_to=request.user, filters=filters)
    items, cursor = cursor_page(queryset, request, size=PAGE_SIZE)
    context = {
        "form": form,
        "enterprises": items,
        "next_cursor": cursor,
        "query": query_without(request),
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


# --- pickers -----------------------------------------------------------------------------------


@login_required
def region_picker(request):
    """The picker's region tree, one level at a time: the user's own region first, then the
    children of `parent` on demand; a parent outside the user's area is 404."""
    parent = request.GET.get("parent") or None
    if parent is not None and not re.fullmatch(REGION_CODE, parent):
        raise Http404
    regions = region_choices(visible_to=request.user, parent=parent)
    if regions is None:
        raise Http404
    return render(request, "web/_region_tree.html", {"regions": regions})


@login_required
def enterprise_picker(request):
    """At most ~20 enterprises of the user's scope matching what was typed so far."""
    text = request.GET.get("q", "")[:100]
    enterprises = enterprise_search(visible_to=request.user, text=text)
    return render(request, "web/_picker_options.html", {"enterprises": enterprises, "q": text.strip()})
