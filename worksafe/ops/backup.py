"""One consistent archive of all WorkSafe data, and its restore into an empty installation.

The archive is a tar file holding:
- data.json: every row of the WorkSafe apps (and their users), Django-serialized, read in ONE
  transaction (REPEATABLE READ on PostgreSQL) so rows and the audit chain agree;
- media/<name>: each evidence file those rows refer to;
- manifest.json: format, time, database, row counts and the SHA-256 of every other member.
Restore checks every member against the manifest before it touches anything.
"""

import hashlib
import io
import json
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import FileField

from worksafe.audit.models import Event
from worksafe.hazards.models import Hazard
from worksafe.orgs.models import Organization, User

FORMAT = "worksafe-backup/1"
DATA = "data.json"
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
# Apps whose rows are WorkSafe data. Reference data loaded by migrations (regions, shipped
# checklists) is included too: restoring it over the same rows is harmless.
APP_PREFIX = "worksafe."


class BackupError(Exception):
    """The archive cannot be used; the message names what failed."""


class ExactEncoder(DjangoJSONEncoder):
    """Keeps microseconds (Django's encoder drops them): the audit hashes cover them."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


def is_derived(model) -> bool:
    """An aggregate the database maintains itself (triggers) from the other rows, saying so with
    a class attribute BACKUP_DERIVED = True: rebuilt by the restore, never copied."""
    return getattr(model, "BACKUP_DERIVED", False)


def data_models() -> list:
    configs = [c for c in apps.get_app_configs() if c.name.startswith(APP_PREFIX)]
    models = [
        m
        for c in configs
        for m in c.get_models()
        if not m._meta.proxy and m._meta.managed and not is_derived(m)
    ]
    ordered = serializers.sort_dependencies([(c, None) for c in configs])
    return [m for m in ordered if m in models]


def file_fields(model) -> list[str]:
    return [f.name for f in model._meta.fields if isinstance(f, FileField)]


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _add(tar: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(content))


@dataclass
class Summary:
    rows: int
    files: int
    events: int


def backup(path: Path) -> Summary:
    models = data_models()
    counts: dict[str, int] = {}
    files: list[str] = []
    stream = io.StringIO()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # Must be the transaction's first statement: every read below sees one snapshot.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        objects = []
        for model in models:
            rows = list(model._base_manager.order_by("pk"))
            counts[model._meta.label] = len(rows)
            objects.extend(rows)
            for field in file_fields(model):
                files.extend(getattr(row, field).name for row in rows if getattr(row, field))
        serializers.serialize("json", objects, stream=stream, cls=ExactEncoder, indent=None)
        # Files are read inside the snapshot too; evidence is written once and never changed.
        contents = {}
        for name in files:
            try:
                with default_storage.open(name, "rb") as handle:
                    contents[name] = handle.read()
            except FileNotFoundError:
                raise BackupError(f"evidence file {name} is referenced but missing from storage") from None
    data = stream.getvalue().encode()
    members = {DATA: data, **{MEDIA_PREFIX + name: content for name, content in contents.items()}}
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "database": connection.vendor,
        "rows": counts,
        "members": {name: _sha256(content) for name, content in members.items()},
    }
    path = Path(path)
    tmp = path.with_name(path.name + ".partial")
    with tarfile.open(tmp, "w") as tar:
        _add(tar, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
        for name, content in members.items():
            _add(tar, name, content)
    tmp.replace(path)
    event_label = "audit.Event"
    return Summary(rows=sum(counts.values()), files=len(contents), events=counts.get(event_label, 0))


def read_archive(path: Path) -> tuple[dict, dict[str, bytes]]:
    """The manifest and the verified members; raises BackupError naming the first problem."""
    try:
        with tarfile.open(path, "r:") as tar:
            members = {}
            for info in tar.getmembers():
                if not info.isfile():
                    raise BackupError(f"member {info.name}: not a regular file")
                name = info.name
                if name.startswith("/") or ".." in Path(name).parts:
                    raise BackupError(f"member {name}: unsafe path")
                members[name] = tar.extractfile(info).read()
    except FileNotFoundError:
        raise BackupError(f"{path}: no such file") from None
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"{path}: not a readable backup archive ({exc})") from None
    if MANIFEST not in members:
        raise BackupError("manifest.json is missing")
    try:
        manifest = json.loads(members.pop(MANIFEST))
    except ValueError as exc:
        raise BackupError(f"manifest.json is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            f"manifest.json: unknown format {manifest.get('format') if isinstance(manifest, dict) else manifest!r}"
        )
    expected = manifest.get("members") or {}
    for name in sorted(set(expected) | set(members)):
        if name not in members:
            raise BackupError(f"member {name} is listed in the manifest but missing")
        if name not in expected:
            raise BackupError(f"member {name} is not listed in the manifest")
        actual = _sha256(members[name])
        if actual != expected[name]:
            raise BackupError(
                f"member {name}: SHA-256 mismatch (manifest {expected[name][:12]}…, content {actual[:12]}…)"
            )
    if DATA not in members:
        raise BackupError("data.json is missing")
    return manifest, members


def installation_is_empty() -> str | None:
    """None when nothing but reference data is present; else what is in the way."""
    for model in (User, Organization, Hazard, Event):
        if model._base_manager.exists():
            return f"the database already holds {model._meta.verbose_name_plural}"
    return None


def restore(path: Path) -> Summary:
    manifest, members = read_archive(Path(path))
    obstacle = installation_is_empty()
    if obstacle:
        raise BackupError(f"restore needs an empty installation: {obstacle}")
    media = {
        name[len(MEDIA_PREFIX) :]: content
        for name, content in members.items()
        if name.startswith(MEDIA_PREFIX)
    }
    for name, content in media.items():
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                if handle.read() != content:
                    raise BackupError(f"media/{name}: a different file of that name is already stored")
    written = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            fixture = Path(tmp) / "worksafe-data.json"
            fixture.write_bytes(members[DATA])
            with transaction.atomic():
                call_command("loaddata", str(fixture), verbosity=0)
                for name, content in media.items():
                    if not default_storage.exists(name):
                        saved = default_storage.save(name, ContentFile(content))
                        written.append(saved)
                        if saved != name:
                            raise BackupError(f"media/{name}: storage renamed it to {saved}")
    except Exception:
        for name in written:
            default_storage.delete(name)
        raise
    rows = manifest.get("rows", {})
    return Summary(rows=sum(rows.values()), files=len(media), events=rows.get("audit.Event", 0))
