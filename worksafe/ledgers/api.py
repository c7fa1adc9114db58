"""/api/v1/ledgers/…: upload a ledger, follow its job, fetch templates and results."""

from datetime import datetime

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from worksafe.core.api import ErrorOut
from worksafe.core.errors import NotFound
from worksafe.core.xlsx import xlsx_response

from . import services, sheets
from .models import ImportKind
from .selectors import import_job_get

router = Router(tags=["ledgers"])


class RowResultOut(Schema):
    row: int
    status: str  # created | valid (check only) | failed
    id: int | None = None
    label: str = ""
    message: str = ""
    errors: dict[str, list[str]] = {}


class ImportJobOut(Schema):
    id: int
    kind: str
    dry_run: bool
    status: str
    applied_job: int | None = None  # a check: the import made from it, once applied
    original_name: str
    total_rows: int
    done_rows: int
    created: int
    failed: int
    percent: int
    detail: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    results: list[RowResultOut]

    @staticmethod
    def resolve_applied_job(obj) -> int | None:
        return obj.applied_job_id

    @staticmethod
    def resolve_created(obj) -> int:
        return obj.created_count

    @staticmethod
    def resolve_failed(obj) -> int:
        return obj.failed_count


@router.post("/ledgers/imports", response={201: ImportJobOut, 403: ErrorOut, 422: ErrorOut})
def create_import(request, kind: Form[ImportKind], file: File[UploadedFile], dry_run: Form[bool] = True):
    """Upload an .xlsx ledger. With dry_run (the default) every row is checked and nothing is
    kept; without it the valid rows are created. The rows are worked through in the background:
    poll the job for progress and per-row results."""
    job = services.import_start(actor=request.user, kind=kind, upload=file, dry_run=dry_run)
    job.refresh_from_db()
    return Status(201, job)


@router.get("/ledgers/imports/{job_id}", response={200: ImportJobOut, 404: ErrorOut})
def get_import(request, job_id: int):
    job = import_job_get(visible_to=request.user, job_id=job_id)
    if job is None:
        raise NotFound()
    return job


@router.post(
    "/ledgers/imports/{job_id}/apply",
    response={201: ImportJobOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def apply_import(request, job_id: int):
    """Import for real the file of a finished check (the valid rows are created), once: a
    second apply answers 409 and changes nothing."""
    job = services.import_apply(actor=request.user, job_id=job_id)
    job.refresh_from_db()
    return Status(201, job)


@router.get("/ledgers/imports/{job_id}/result", response={200: None, 404: ErrorOut})
def get_import_result(request, job_id: int):
    """The uploaded workbook with a "result" column (an .xlsx file)."""
    job = import_job_get(visible_to=request.user, job_id=job_id)
    if job is None:
        raise NotFound()
    return xlsx_response(services.result_file(job), f"result-{job.pk}.xlsx")


@router.get("/ledgers/templates/{kind}", response={200: None, 404: ErrorOut})
def get_template(request, kind: str):
    """A blank ledger (.xlsx) for enterprises or hazards."""
    if kind not in ImportKind.values:
        raise NotFound()
    return xlsx_response(sheets.template_workbook(kind), f"{kind}-template.xlsx")
