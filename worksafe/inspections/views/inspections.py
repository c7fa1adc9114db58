"""Pages to plan, run and finish inspections on a phone, and the rectification opinions of a supervision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from worksafe.core.errors import DomainError
from worksafe.core.pages import call_service, raise_for_page
from worksafe.core.uploads import attachment_response
from worksafe.orgs.models import Organization

from .. import forms, rules, services
from ..models import Answer, ChecklistItem, Finding, Inspection, Opinion
from ..selectors import (
    InspectionFilters,
    checklist_progress,
    inspection_counts,
    inspection_list,
    inspection_search,
    opinion_list,
    photo_get,
)
from .common import page, require


@login_required
def inspection_list_view(request):
    require(rules.may_view_inspections(request.user))
    status = request.GET.get("status")
    if status not in Inspection.Status.values:
        status = None
    queryset = inspection_search(visible_to=request.user, filters=InspectionFilters(status=status))
    items, more = page(queryset, request)
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
    require(rules.may_plan(request.user))
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
    require(rules.may_view_opinions(request.user))
    items, more = page(opinion_list(visible_to=request.user).select_related("inspection__target"), request)
    return render(request, "inspections/opinions.html", {"opinions": items, "more": more})
