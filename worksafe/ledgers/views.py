"""Pages: the upload form with the templates, and a job's progress and results."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from worksafe.core.pages import call_service
from worksafe.core.xlsx import xlsx_response

from . import rules, services, sheets
from .forms import UploadForm
from .models import ImportKind
from .selectors import import_job_list

RECENT = 10


@login_required
def upload_view(request):
    user = request.user
    if not rules.may_import(user):
        raise PermissionDenied
    allowed = [kind for kind in ImportKind if rules.may_import(user, kind)]
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, kinds=allowed)
        if form.is_valid():
            data = form.cleaned_data
            job = call_service(
                request,
                lambda: services.import_start(
                    actor=user, kind=data["kind"], upload=data["file"], dry_run=data["dry_run"]
                ),
                form=form,
            )
            if job is not None:
                return redirect("ledgers:job", pk=job.pk)
    else:
        initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") in ImportKind.values else {}
        form = UploadForm(initial=initial, kinds=allowed)
    jobs = import_job_list(visible_to=user).filter(user=user)[:RECENT]
    return render(
        request,
        "ledgers/upload.html",
        {"form": form, "jobs": jobs, "allowed": allowed, "kinds": list(ImportKind)},
    )


@login_required
def template_view(request, kind: str):
    if kind not in ImportKind.values:
        raise Http404
    return xlsx_response(sheets.template_workbook(kind), f"{kind}-template.xlsx")


def _context(request, job) -> dict:
    """The rows with errors first (what the user has to fix), then the others; `?errors=1`
    keeps only the rows with errors."""
    labels = sheets.column_labels(job.kind)
    errors_only = request.GET.get("errors") == "1"
    rows = []
    for item in sorted(job.results or [], key=lambda item: item["status"] != "failed"):
        if errors_only and item["status"] != "failed":
            continue
        errors = [(labels.get(col, col), msgs) for col, msgs in (item.get("errors") or {}).items()]
        rows.append({**item, "error_list": errors})
    return {
        "job": job,
        "rows": rows,
        "errors_only": errors_only,
        "may_apply": rules.may_apply(request.user, job),
    }


@login_required
def job_view(request, pk: int):
    job = get_object_or_404(import_job_list(visible_to=request.user), pk=pk)
    return render(request, "ledgers/job.html", _context(request, job))


@login_required
def job_progress_view(request, pk: int):
    job = get_object_or_404(import_job_list(visible_to=request.user), pk=pk)
    return render(request, "ledgers/_progress.html", _context(request, job))


@login_required
def job_result_view(request, pk: int):
    job = get_object_or_404(import_job_list(visible_to=request.user), pk=pk)
    return xlsx_response(services.result_file(job), f"result-{job.pk}.xlsx")


@login_required
@require_POST
def job_apply_view(request, pk: int):
    get_object_or_404(import_job_list(visible_to=request.user), pk=pk)
    job = call_service(request, lambda: services.import_apply(actor=request.user, job_id=pk))
    return redirect("ledgers:job", pk=job.pk if job is not None else pk)
