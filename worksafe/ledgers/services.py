"""Taking a ledger in: every row goes through the register's own services (same rules, same
scope, same audit events), each in its own transaction, so a failed row leaves nothing."""

import contextlib
import logging
import uuid
from datetime import date, datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from worksafe.audit.services import record_event
from worksafe.core.errors import DomainError, Forbidden, Invalid, NotFound
from worksafe.hazards import rules as hazard_rules
from worksafe.hazards.services import hazard_create
from worksafe.orgs.models import Organization, Role, User
from worksafe.orgs.selectors import enterprise_list
from worksafe.orgs.services import organization_create
from worksafe.orgs.uscc import normalize as normalize_uscc

from . import sheets
from .models import ImportJob, ImportKind
from .selectors import import_job_get

log = logging.getLogger(__name__)


def may_import(actor: User, kind: str) -> bool:
    """What the register's services allow: enterprises are registered by an administrator or
    an office (in its own area, checked per row); hidden dangers by whoever may report them."""
    if kind == ImportKind.ENTERPRISES:
        return actor.role in (Role.ADMIN, Role.OFFICE)
    return hazard_rules.may_report(actor)


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
    if not may_import(actor, kind):
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
        language=translation.get_language() or "zh-hans",
        total_rows=len(sheet.rows),
    )
    job.file.save(f"{uuid.uuid4().hex}.xlsx", ContentFile(content), save=False)
    job.save()
    record_event(
        actor=actor,
        subject_type="import_job",
        subject_id=job.pk,
        action="create",
        to_status=job.status,
        data={"kind": kind, "dry_run": job.dry_run, "rows": job.total_rows, "name": job.original_name},
    )
    return job


def import_start(**kwargs) -> ImportJob:
    """Create the job and hand it to the task queue (after the job row is committed)."""
    from .tasks import run_import_task

    job = import_job_create(**kwargs)
    transaction.on_commit(lambda: run_import_task.enqueue(job.pk))
    return job


def import_apply(*, actor: User, job_id: int) -> ImportJob:
    """Import for real the file a finished check ran on."""
    checked = import_job_get(visible_to=actor, job_id=job_id)
    if checked is None:
        raise NotFound()
    if checked.user_id != actor.pk:
        raise Forbidden(_("Only the person who uploaded the ledger may import it."))
    if not checked.dry_run or checked.status != ImportJob.Status.DONE:
        raise Invalid.field("job", _("Only a finished check can be imported."))
    with checked.file.open("rb") as fh:
        content = fh.read()
    return import_start(
        actor=actor, kind=checked.kind, content=content, original_name=checked.original_name, dry_run=False
    )


# --- one row ------------------------------------------------------------------------------------


class _Rollback(Exception):
    """Raised inside a dry run's transaction to undo a row that went through."""


def _as_date(value, errors: dict) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = sheets._text(value).replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        y, m, d = (int(p) for p in text.split("-"))
        return date(y, m, d)
    except ValueError:
        errors.setdefault("due_date", []).append(_("Enter a date as YYYY-MM-DD."))
        return None


def _as_count(value, errors: dict) -> int | None:
    text = sheets._text(value)
    if not text:
        return None
    if text.isdigit() and len(text) <= 9:
        return int(text)
    errors.setdefault("staff_count", []).append(_("Enter a whole number of people."))
    return None


def _code(value, aliases: dict[str, str]) -> str:
    text = sheets._text(value)
    return aliases.get(text.lower(), text)


class RowRunner:
    """Turns the raw cells of one row into a service call. Caches what every row would look up
    again (the enterprises of the actor's scope by credit code)."""

    def __init__(self, job: ImportJob, actor: User):
        self.job, self.actor = job, actor
        self.aliases = sheets.choice_aliases()
        self.seen_uscc: dict[str, int] = {}
        self.enterprises: dict[str, int | None] = {}

    def call(self, values: dict) -> tuple[object, str]:
        """Create through the service; returns (object, label); raises DomainError."""
        if self.job.kind == ImportKind.ENTERPRISES:
            return self._enterprise(values)
        return self._hazard(values)

    def _enterprise(self, values: dict):
        errors: dict[str, list] = {}
        staff = _as_count(values.get("staff_count"), errors)
        texts = {}
        # The register's service leaves these lengths to the database: name them here instead.
        for field, limit in (("address", 300), ("legal_representative", 100), ("safety_principal", 100)):
            texts[field] = sheets._text(values.get(field))
            if len(texts[field]) > limit:
                errors.setdefault(field, []).append(_("At most %(n)s characters.") % {"n": limit})
        if errors:
            raise Invalid(_("Please correct the marked fields."), errors)
        org = organization_create(
            actor=self.actor,
            kind=Organization.Kind.ENTERPRISE,
            name=sheets._text(values.get("name")),
            region=sheets._text(values.get("region")),
            uscc=sheets._text(values.get("uscc")),
            industry=_code(values.get("industry"), self.aliases["industry"]),
            staff_count=staff,
            **texts,
        )
        return org, org.name

    def _enterprise_id(self, raw) -> int | None:
        code = normalize_uscc(sheets._text(raw))
        if not code:
            return None
        if code not in self.enterprises:
            # Scoped: an enterprise the actor cannot see is as unknown as one never registered.
            self.enterprises[code] = (
                enterprise_list(visible_to=self.actor).filter(uscc=code).values_list("pk", flat=True).first()
            )
        return self.enterprises[code]

    def _hazard(self, values: dict):
        errors: dict[str, list] = {}
        due = _as_date(values.get("due_date"), errors)
        if errors:
            raise Invalid(_("Please correct the marked fields."), errors)
        hazard = hazard_create(
            actor=self.actor,
            enterprise=self._enterprise_id(values.get("enterprise_uscc")),
            title=sheets._text(values.get("title")),
            description=sheets._text(values.get("description")),
            location=sheets._text(values.get("location")),
            level=_code(values.get("level"), self.aliases["level"]),
            source=_code(values.get("source"), self.aliases["source"]),
            due_date=due,
            responsible_person=sheets._text(values.get("responsible_person")),
        )
        return hazard, hazard.number

    def duplicate_in_file(self, number: int, values: dict) -> dict | None:
        """A credit code twice in one file: a check run would pass both (each is rolled back)."""
        if self.job.kind != ImportKind.ENTERPRISES:
            return None
        code = normalize_uscc(sheets._text(values.get("uscc")))
        if not code:
            return None
        if code in self.seen_uscc:
            return {
                "uscc": [_("The same credit code is already in row %(row)s.") % {"row": self.seen_uscc[code]}]
            }
        self.seen_uscc[code] = number
        return None


# service field -> spreadsheet column
FIELD_TO_COLUMN = {"enterprise": "enterprise_uscc"}


def _errors_by_column(kind: str, exc: DomainError) -> dict[str, list[str]]:
    known = {c.code for c in sheets.columns(kind)}
    out: dict[str, list[str]] = {}
    for field, msgs in (exc.errors or {}).items():
        column = FIELD_TO_COLUMN.get(field, field)
        out.setdefault(column if column in known else sheets.ROW_KEY, []).extend(str(m) for m in msgs)
    if not out:
        out[sheets.ROW_KEY] = [str(exc.detail)]
    return out


def _message(status: str, label: str, errors: dict, labels: dict) -> str:
    if status == "created":
        return _("Created: %(label)s") % {"label": label}
    if status == "valid":
        return _("Valid: would be created")
    return _("; ").join(
        _("%(column)s: %(errors)s") % {"column": labels.get(col, col), "errors": " ".join(msgs)}
        for col, msgs in errors.items()
    )


def run_row(runner: RowRunner, number: int, values: dict) -> dict:
    job = runner.job
    errors = runner.duplicate_in_file(number, values)
    obj, label = None, ""
    if not errors:
        try:
            with transaction.atomic():  # one row, one transaction (a savepoint inside another)
                obj, label = runner.call(values)
                if job.dry_run:
                    raise _Rollback
        except _Rollback:
            obj = None
        except DomainError as exc:
            errors = _errors_by_column(job.kind, exc)
        except Exception:  # a row must never stop the others; the log keeps the cause
            log.exception("ledger import %s row %s", job.pk, number)
            errors = {sheets.ROW_KEY: [_("This row could not be processed.")]}
    status = "failed" if errors else "valid" if job.dry_run else "created"
    return {
        "row": number,
        "status": status,
        "id": obj.pk if obj is not None else None,
        "label": label,
        "errors": errors or {},
    }


def import_run(*, job_id: int) -> ImportJob:
    """Work through a queued job. Called by the task; safe to call twice (a second call on a
    job already started does nothing)."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    job = ImportJob.objects.select_related("user__organization").get(pk=job_id)
    if not claimed:
        return job
    with translation.override(job.language):
        labels = sheets.column_labels(job.kind)
        try:
            with job.file.open("rb") as fh:
                sheet = sheets.read_rows(job.kind, fh.read())
        except DomainError as exc:
            return _finish(job, ImportJob.Status.FAILED, _errors_text(exc))
        actor = job.user
        if not actor.is_active or not may_import(actor, job.kind):
            return _finish(job, ImportJob.Status.FAILED, _("Your role does not import this kind of ledger."))
        runner = RowRunner(job, actor)
        results = []
        created = failed = 0
        for number, values in sheet.rows:
            item = run_row(runner, number, values)
            item["message"] = _message(item["status"], item["label"], item["errors"], labels)
            results.append(item)
            if item["status"] == "failed":
                failed += 1
            else:
                created += 1
            # One small UPDATE per row: the page polls these counters for its progress bar.
            ImportJob.objects.filter(pk=job.pk).update(
                done_rows=len(results), created_count=created, failed_count=failed
            )
        job.total_rows, job.done_rows = len(sheet.rows), len(results)
        job.created_count, job.failed_count, job.results = created, failed, results
        return _finish(job, ImportJob.Status.DONE, "")


def _errors_text(exc: DomainError) -> str:
    msgs = [str(m) for v in (exc.errors or {}).values() for m in v]
    return (" ".join(msgs) or str(exc.detail))[:500]


@transaction.atomic
def _finish(job: ImportJob, status: str, detail: str) -> ImportJob:
    assert status in ImportJob.TRANSITIONS[ImportJob.Status.RUNNING]
    job.status, job.detail, job.finished_at = status, detail, timezone.now()
    job.save(
        update_fields=[
            "status",
            "detail",
            "finished_at",
            "total_rows",
            "done_rows",
            "created_count",
            "failed_count",
            "results",
        ]
    )
    record_event(
        actor=job.user,
        subject_type="import_job",
        subject_id=job.pk,
        action="finish",
        from_status=ImportJob.Status.RUNNING,
        to_status=status,
        data={"dry_run": job.dry_run, "created": job.created_count, "failed": job.failed_count},
    )
    return job


def result_file(job: ImportJob) -> bytes:
    with job.file.open("rb") as fh:
        content = fh.read()
    header_rows = 2
    with contextlib.suppress(DomainError):
        header_rows = sheets.read_rows(job.kind, content).header_rows
    return sheets.result_workbook(content, job.results or [], header_rows)
