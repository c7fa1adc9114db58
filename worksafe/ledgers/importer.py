"""Working through a queued ledger, in the worker: every row goes through the register's own
services (same rules, same scope, same audit events), each in its own transaction, so a failed
row leaves nothing."""

import logging
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from worksafe.audit.services import record_event
from worksafe.core.errors import DomainError, Invalid
from worksafe.hazards.services import hazard_create
from worksafe.orgs.models import Organization, User
from worksafe.orgs.selectors import enterprise_list
from worksafe.orgs.services import organization_create
from worksafe.orgs.uscc import normalize as normalize_uscc

from . import rules, sheets
from .models import ImportJob, ImportKind

log = logging.getLogger(__name__)


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


class RowRunner:
    """Turns the raw cells of one row into a service call. Caches what every row would look up
    again (the enterprises of the actor's scope by credit code)."""

    def __init__(self, job: ImportJob, actor: User):
        self.job, self.actor = job, actor
        self.aliases = sheets.choice_aliases()
        self.seen_uscc: dict[str, int] = {}
        self.enterprises: dict[str, int | None] = {}
        self.previewed: dict[str, int] = {}  # number prefix -> valid rows before this one
        self.bad_choices: set[str] = set()  # of the row at hand

    def code(self, values: dict, field: str) -> str:
        """The code for a choice cell holding a code or a label in either language. Anything
        else goes to the service as written (which then names every bad field of the row) and
        is remembered, so the error can list the labels the user reads, not the codes."""
        text = sheets._text(values.get(field))
        code = self.aliases[field].get(text.lower())
        if text and code is None:
            self.bad_choices.add(field)
        return code or text

    def choice_errors(self) -> dict[str, list[str]]:
        return {
            field: [_("Choose one of: %(values)s.") % {"values": ", ".join(sheets.choice_labels(field))}]
            for field in self.bad_choices
        }

    def preview_number(self, number: str) -> str:
        """A check rolls every row back, so each gets the same next number; the import would
        give the valid rows consecutive ones, in row order: show those."""
        prefix, _sep, sequence = number.rpartition("-")
        before = self.previewed.get(prefix, 0)
        self.previewed[prefix] = before + 1
        return f"{prefix}-{int(sequence) + before:0{len(sequence)}d}"

    def call(self, values: dict) -> tuple[object, str]:
        """Create through the service; returns (object, label); raises DomainError."""
        if self.job.kind == ImportKind.ENTERPRISES:
            return self._enterprise(values)
        return self._hazard(values)

    def _enterprise(self, values: dict):
        errors: dict[str, list] = {}
        staff = _as_count(values.get("staff_count"), errors)
        industry = self.code(values, "industry")
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
            industry=industry,
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
        level, source = self.code(values, "level"), self.code(values, "source")
        if errors:
            raise Invalid(_("Please correct the marked fields."), errors)
        hazard = hazard_create(
            actor=self.actor,
            enterprise=self._enterprise_id(values.get("enterprise_uscc")),
            title=sheets._text(values.get("title")),
            description=sheets._text(values.get("description")),
            location=sheets._text(values.get("location")),
            level=level,
            source=source,
            due_date=due,
            responsible_person=sheets._text(values.get("responsible_person")),
        )
        return hazard, self.preview_number(hazard.number) if self.job.dry_run else hazard.number

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
        return _("Valid: would be created as %(label)s") % {"label": label}
    return _("; ").join(
        _("%(column)s: %(errors)s") % {"column": labels.get(col, col), "errors": " ".join(msgs)}
        for col, msgs in errors.items()
    )


def run_row(runner: RowRunner, number: int, values: dict) -> dict:
    job = runner.job
    errors = runner.duplicate_in_file(number, values)
    runner.bad_choices.clear()
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
            errors = _errors_by_column(job.kind, exc) | runner.choice_errors()
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
    now = timezone.now()
    sources, running = ImportJob.TRANSITIONS[ImportJob.Action.START]
    claimed = ImportJob.objects.filter(pk=job_id, status__in=sources).update(
        status=running, started_at=now, heartbeat_at=now
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
            return _finish(job, ImportJob.Action.FAIL, _errors_text(exc))
        actor = job.user
        if not actor.is_active or not rules.may_import(actor, job.kind):
            return _finish(job, ImportJob.Action.FAIL, _("Your role does not import this kind of ledger."))
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
            # One small UPDATE per row: the page polls these counters for its progress bar, and
            # the heartbeat tells recovery this worker is alive. No row matched: recovery took
            # the job from a worker it believed dead, so this one stops.
            if not still_running(job).update(
                done_rows=len(results),
                created_count=created,
                failed_count=failed,
                heartbeat_at=timezone.now(),
            ):
                return job
        job.total_rows, job.done_rows = len(sheet.rows), len(results)
        job.created_count, job.failed_count, job.results = created, failed, results
        return _finish(job, ImportJob.Action.FINISH, "")


def still_running(job: ImportJob):
    """The job, if it is still running: every write of the worker and of recovery goes through
    this condition, so whichever acts second finds no row and stops."""
    return ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING)


def _errors_text(exc: DomainError) -> str:
    msgs = [str(m) for v in (exc.errors or {}).values() for m in v]
    return (" ".join(msgs) or str(exc.detail))[:500]


@transaction.atomic
def _finish(job: ImportJob, action: str, detail: str) -> ImportJob:
    """Finish or fail a running job. Its event is a "finish" either way, to_status telling which."""
    before, after = job.apply(action)
    job.detail, job.finished_at = detail, timezone.now()
    fields = ("status", "detail", "finished_at", "total_rows", "done_rows", "created_count", "failed_count")
    # Conditional: a job recovery took back from this worker stays as recovery left it.
    if still_running(job).update(results=job.results, **{f: getattr(job, f) for f in fields}):
        record_event(
            actor=job.user,
            subject=job,
            action=ImportJob.Action.FINISH,
            from_status=before,
            to_status=after,
            data={"dry_run": job.dry_run, "created": job.created_count, "failed": job.failed_count},
        )
    return job
