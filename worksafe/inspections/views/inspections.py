"""Pages: plan, run and finish inspections on a phone; enforcement; checklists; activity."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from worksafe.core import xlsx
from worksafe.core.errors import DomainError
from worksafe.core.pages import call_service, raise_for_page
from worksafe.core.uploads import attachment_response
from worksafe.orgs.models import Organization

from . import forms, rules, services
from .models import Answer, ChecklistItem, Enforcement, Finding, Inspection, Opinion
from .selectors import (
    InspectionFilters,
    activity,
    checklist_in_use,
    checklist_list,
    checklist_progress,
    enforcement_list,
    inspection_counts,
    inspection_list,
    inspection_search,
    opinion_list,
    photo_get,
    plan_list,
    reinspection_list,
)

PAGE = 50


def _page(queryset, request):
    cursor = request.GET.get("before")
    if cursor and cursor.isdigit():
        queryset = queryset.filter(pk__lt=int(cursor))
    rows = list(queryset.order_by("-pk")[: PAGE + 1])
    more = rows[PAGE - 1].pk if len(rows) > PAGE else None
    return rows[:PAGE], more


# --- inspections ----------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    """A page the rules keep from this user answers 403, like the API and like the hidden nav."""
    if not allowed:
        raise PermissionDenied


@login_required
def inspection_list_view(request):
    _require(rules.may_view_inspections(request.user))
    status = request.GET.get("status")
    if status not in Inspection.Status.values:
        status = None
    queryset = inspection_search(visible_to=request.user, filters=InspectionFilters(status=status))
    items, more = _page(queryset, request)
    return render(
        request,
        "inspections/list.html",
        {
            "inspections": items,
            "more": more,
            "counts": inspection_counts(visible_to=request.user),
            "statuses": Inspection.Status.choices,
            "status": status,
            "may_plan": rules.may_plan(request.user),
        },
    )


@login_required
def inspection_new(request):
    _require(rules.may_plan(request.user))
    form = forms.InspectionForm(request.POST or None, user=request.user, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        inspection = call_service(
            request,
            lambda: services.inspection_create(
                actor=request.user,
                target=data["target"].pk,
                kind=data["kind"],
                planned_on=data["planned_on"],
                checklist=data["checklist"].pk if data["checklist"] else None,
                team=[u.pk for u in data["team"]],
                note=data["note"],
            ),
            form=form,
        )
        if inspection is not None:
            messages.success(request, _("Inspection planned."))
            return redirect("inspections:detail", pk=inspection.pk)
    return render(request, "inspections/new.html", {"form": form})


def _items(inspection: Inspection) -> list[dict]:
    if not inspection.checklist_id:
        return []
    answers = {a.item_id: a for a in inspection.answers.all()}
    photos: dict[int, int] = {}
    for photo in inspection.photos.all():
        if photo.item_id:
            photos[photo.item_id] = photos.get(photo.item_id, 0) + 1
    return [
        {"item": item, "answer": answers.get(item.pk), "photos": photos.get(item.pk, 0)}
        for item in inspection.checklist.items.all()
    ]


@login_required
def inspection_detail(request, pk: int):
    inspection = get_object_or_404(
        inspection_list(visible_to=request.user).prefetch_related(
            "team",
            Prefetch("answers", queryset=Answer.objects.select_related("hazard")),
            "photos",
            Prefetch("findings", queryset=Finding.objects.select_related("hazard")),
            Prefetch("opinions", queryset=Opinion.objects.order_by("pk")),
            Prefetch("checklist__items", queryset=ChecklistItem.objects.order_by("position")),
        ),
        pk=pk,
    )
    user = request.user
    actions = rules.inspection_actions(user, inspection)
    items = _items(inspection)
    answered = sum(1 for row in items if row["answer"])
    hazards = [a.hazard_id for a in inspection.answers.all() if a.hazard_id]
    hazards += [f.hazard_id for f in inspection.findings.all() if f.hazard_id]
    return render(
        request,
        "inspections/detail.html",
        {
            "inspection": inspection,
            "actions": actions,
            # Answers and findings are taken exactly while the inspection may be finished.
            "running": Inspection.Action.FINISH in actions,
            "items": items,
            "answered": answered,
            "total": len(items),
            "results": Answer.Result.choices,
            "finding_form": forms.FindingForm(),
            "finish_form": forms.FinishForm(),
            "hazards": hazards,
            "target_flagged": inspection.target.status != Organization.Status.OPERATING,
            "opinions": [
                (o, [(a, Opinion.Action(a).label) for a in rules.opinion_actions(user, o)])
                for o in inspection.opinions.all()
            ],
            "may_enforce": rules.may_enforce(user),
        },
    )


def _act(request, pk: int, call, success: str):
    if call_service(request, call) is not None:
        messages.success(request, success)
    return redirect("inspections:detail", pk=pk)


@login_required
@require_POST
def inspection_start(request, pk: int):
    return _act(
        request,
        pk,
        lambda: services.inspection_start(
            actor=request.user,
            inspection_id=pk,
            lat=request.POST.get("lat") or None,
            lng=request.POST.get("lng") or None,
        ),
        _("Inspection started."),
    )


@login_required
@require_POST
def inspection_finish(request, pk: int):
    form = forms.FinishForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    return _act(
        request,
        pk,
        lambda: services.inspection_finish(
            actor=request.user,
            inspection_id=pk,
            found_operating=data.get("found_operating"),
            allow_unanswered=data.get("allow_unanswered", False),
        ),
        _("Inspection finished; the hidden dangers are in the register."),
    )


@login_required
@require_POST
def inspection_cancel(request, pk: int):
    return _act(
        request,
        pk,
        lambda: services.inspection_cancel(
            actor=request.user, inspection_id=pk, note=request.POST.get("note", "")
        ),
        _("Inspection cancelled."),
    )


@login_required
@require_POST
def inspection_answer(request, pk: int, item: int):
    """Save one item's answer at once (htmx), so a dropped connection loses at most one tap."""
    result = request.POST.get("result", "")
    answer = None
    error = ""
    try:
        answer = services.inspection_answer(
            actor=request.user, inspection_id=pk, item=item, result=result, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        raise_for_page(exc)
        error = str(exc.detail)
        for messages_ in exc.errors.values():
            error = " ".join(str(m) for m in messages_)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(f"{request.path.rsplit('/items/', 1)[0]}/#item-{item}")
    inspection = get_object_or_404(inspection_list(visible_to=request.user), pk=pk)
    checklist_item = get_object_or_404(ChecklistItem, pk=item, template_id=inspection.checklist_id)
    if answer is None:
        answer = Answer.objects.filter(inspection=inspection, item=checklist_item).first()
    photos = inspection.photos.filter(item=checklist_item).count()
    answered, total = checklist_progress(inspection)
    progress = render_to_string(
        "inspections/detail.html#progress", {"answered": answered, "total": total, "oob": True}, request
    )
    response = render(
        request,
        "inspections/detail.html#item",
        {
            "inspection": inspection,
            "row": {"item": checklist_item, "answer": answer, "photos": photos},
            "results": Answer.Result.choices,
            "running": True,
            "error": error,
            "typed_note": request.POST.get("note", ""),
            "saved": answer is not None and not error,
        },
    )
    response.content += progress.encode()  # the progress line above the list, out of band
    return response


@login_required
@require_POST
def inspection_photo(request, pk: int):
    item = request.POST.get("item")
    finding = request.POST.get("finding")
    return _act(
        request,
        pk,
        lambda: services.photo_add(
            actor=request.user,
            inspection_id=pk,
            upload=request.FILES.get("file"),
            item=int(item) if item and item.isdigit() else None,
            finding=int(finding) if finding and finding.isdigit() else None,
        ),
        _("Photo saved."),
    )


@login_required
def photo_file(request, pk: int, photo_id: int):
    photo = photo_get(visible_to=request.user, inspection_id=pk, photo_id=photo_id)
    if photo is None:
        raise Http404
    return attachment_response(photo.file, photo.content_type)


@login_required
@require_POST
def inspection_finding(request, pk: int):
    get_object_or_404(inspection_list(visible_to=request.user), pk=pk)  # out of scope: 404 first
    form = forms.FindingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the finding a title."))
        return redirect("inspections:detail", pk=pk)
    return _act(
        request,
        pk,
        lambda: services.finding_add(actor=request.user, inspection_id=pk, **form.cleaned_data),
        _("Finding recorded."),
    )


@login_required
@require_POST
def opinion_act(request, pk: int):
    opinion = get_object_or_404(opinion_list(visible_to=request.user), pk=pk)
    form = forms.OpinionActForm(request.POST)
    if form.is_valid():
        done = call_service(
            request, lambda: services.opinion_act(actor=request.user, opinion_id=pk, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, _("Saved."))
    return redirect("inspections:detail", pk=opinion.inspection_id)


@login_required
def opinion_list_view(request):
    _require(rules.may_view_opinions(request.user))
    items, more = _page(opinion_list(visible_to=request.user).select_related("inspection__target"), request)
    return render(request, "inspections/opinions.html", {"opinions": items, "more": more})


# --- checklists -----------------------------------------------------------------------------


@login_required
def checklist_list_view(request):
    _require(rules.may_view_inspections(request.user))
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


# --- plans ----------------------------------------------------------------------------------


@login_required
def plan_new(request):
    _require(rules.may_plan(request.user))
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


# --- enforcement ----------------------------------------------------------------------------


@login_required
def enforcement_list_view(request):
    user = request.user
    _require(rules.may_view_enforcement(user))
    items, more = _page(enforcement_list(visible_to=user), request)
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
    _require(rules.may_enforce(request.user))
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
    _require(rules.may_view_activity(request.user))
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
