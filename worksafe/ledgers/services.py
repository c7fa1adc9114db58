"""Taking a ledger in, as the person who uploads it: the job is created (checked, refused or
queued) here; the worker works through it in importer.py."""

import contextlib
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from worksafe.audit.services import record_event
from worksafe.core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from worksafe.orgs.models import User

from . import rules, sheets
from .models import ImportJob, ImportKind
from .selectors import import_job_get
from .tasks import enqueue_run


def _read_upload(upload) -> bytes:
    if upload is None:
        raise Invalid.field("file", _("This field is required."))
    limit = sheets.max_bytes()
    if upload.size is not None and upload.size > limit:
        raise Invalid.field("file", _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    return upload.read(limit + 1)


@transaction.atomic
def import_job_create(
    *,
    actor: User,
    kind: str,
    upload=None,
    content: bytes | None = None,
    original_name: str = "",
    dry_run: bool = True,
) -> ImportJob:
    if kind not in ImportKind.values:
        raise Invalid.field(
            "kind", _("Choose one of: %(values)s.") % {"values": ", ".join(ImportKind.values)}
        )
    if not rules.may_import(actor, kind):
        raise Forbidden(_("Your role does not import this kind of ledger."))
    if content is None:
        content = _read_upload(upload)
        original_name = getattr(upload, "name", "") or ""
    # Read it now: a file that is no workbook, or lacks columns, is refused at once (422 on file).
    sheet = sheets.read_rows(kind, content)
    job = ImportJob(
        user=actor,
        kind=kind,
        dry_run=bool(dry_run),
        original_name=original_name.replace("\x00", "")[-200:],
        total_rows=len(sheet.rows),
    )
    job.file.save(f"{uuid.uuid4().hex}.xlsx", ContentFile(content), save=False)
    return _job_save(actor, job)


def _job_save(actor: User, job: ImportJob) -> ImportJob:
    job.language = translation.get_language() or "zh-hans"
    job.save()
    record_event(
        actor=actor,
        subject=job,
        action="create",
        to_status=job.status,
        data={"kind": job.kind, "dry_run": job.dry_run, "rows": job.total_rows, "name": job.original_name},
    )
    return job


def import_start(**kwargs) -> ImportJob:
    """Create the job and hand it to the task queue (after the job row is committed)."""
    job = import_job_create(**kwargs)
    enqueue_run(job)
    return job


@transaction.atomic
def import_apply(*, actor: User, job_id: int) -> ImportJob:
    """Import for real the file a finished check ran on, once: a second apply is a 409."""
    checked = import_job_get(visible_to=actor, job_id=job_id)
    if checked is None:
        raise NotFound()
    if not rules.may_apply(actor, checked):
        raise Forbidden(_("Only the person who uploaded the ledger may import it."))
    if not checked.dry_run or checked.status != ImportJob.Status.DONE:
        raise Invalid.field("job", _("Only a finished check can be imported."))
    if not rules.may_import(actor, checked.kind):
        raise Forbidden(_("Your role does not import this kind of ledger."))
    if checked.applied_job_id is None:
        job = _job_save(
            actor,
            ImportJob(
                user=actor,
                kind=checked.kind,
                dry_run=False,
                file=checked.file.name,  # the very file that was checked
                original_name=checked.original_name,
                total_rows=checked.total_rows,
            ),
        )
        # The claim: of two applies at once, the second matches no row (on PostgreSQL it waits
        # for the first to commit, then re-reads the row); its job is rolled back below.
        if ImportJob.objects.filter(pk=checked.pk, applied_job__isnull=True).update(applied_job=job):
            enqueue_run(job)
            return job
    applied = ImportJob.objects.filter(checked_job=checked.pk).values_list("pk", flat=True).first()
    raise Conflict(_("This check was already imported (import #%(id)s).") % {"id": applied})


def result_file(job: ImportJob) -> bytes:
    with job.file.open("rb") as fh:
        content = fh.read()
    header_rows = 2
    with contextlib.suppress(DomainError):
        header_rows = sheets.read_rows(job.kind, content).header_rows
    return sheets.result_workbook(content, job.results or [], header_rows)
