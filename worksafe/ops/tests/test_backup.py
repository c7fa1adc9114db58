"""Backup and restore: the round trip gives back the same rows, the same audit chain and the
same files; a damaged archive is refused with a message naming the damage, changing nothing."""

import json
import tarfile
from io import StringIO

import pytest
from django.apps import apps
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from worksafe.audit.models import Event
from worksafe.audit.services import verify_chain
from worksafe.hazards.models import Evidence, Hazard
from worksafe.hazards.services import hazard_add_evidence, hazard_transition
from worksafe.ops.backup import ExactEncoder, data_models, is_derived
from worksafe.orgs.models import User
from worksafe.testing import PNG

# Runs outside a test transaction so the backup takes its own REPEATABLE READ snapshot on
# PostgreSQL; the serialized rollback puts the reference data back afterwards.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def snapshot() -> str:
    objects = [row for model in data_models() for row in model._base_manager.order_by("pk")]
    return serializers.serialize("json", objects, cls=ExactEncoder)


def derived_snapshot() -> dict:
    """Aggregates the database maintains, compared by content (their ids are their own)."""
    result = {}
    for model in filter(is_derived, apps.get_models()):
        label = model._meta.label
        fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        # An emptied bucket may stay as a zero row: compare the counts that are not zero.
        result[label] = sorted(row for row in model._base_manager.values_list(*fields) if row[-1] != 0)
    return result


def populated(world):
    hazard = world.make_hazard(title="消防通道堵塞 <b>")
    hazard_transition(
        actor=world.inspector, hazard_id=hazard.pk, action="assign", version=1, responsible_person="张三"
    )
    upload = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    evidence = hazard_add_evidence(actor=world.officer_a, hazard_id=hazard.pk, upload=upload, kind="before")
    return hazard, evidence


def wipe_installation():
    call_command("flush", interactive=False, verbosity=0)


def test_round_trip_gives_back_identical_data(world, tmp_path):
    _hazard, evidence = populated(world)
    before = snapshot()
    derived_before = derived_snapshot()
    assert derived_before["hazards.HazardTally"]  # the tally is rebuilt, not copied
    files_before = {e.file.name: e.file.read() for e in Evidence.objects.all()}
    archive = tmp_path / "backup.tar"
    out = StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "audit events" in out.getvalue()

    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert {"manifest.json", "data.json", f"media/{evidence.file.name}"} <= names
    assert set(manifest["members"]) == names - {"manifest.json"}
    assert manifest["rows"]["hazards.Hazard"] == 1

    wipe_installation()
    for name in files_before:
        default_storage.delete(name)
    assert not Hazard.objects.exists() and not Event.objects.exists()

    out = StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "audit chain intact" in out.getvalue()
    assert snapshot() == before
    assert derived_snapshot() == derived_before
    assert verify_chain() is None
    call_command("verify_audit", stdout=StringIO())
    for name, content in files_before.items():
        with default_storage.open(name, "rb") as handle:
            assert handle.read() == content
    # The restored users still sign in with their passwords.
    assert User.objects.get(username="officer_a").check_password("correct-horse-battery")


def flip_byte(path, offset):
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def _member_offset(path, name):
    with tarfile.open(path) as tar:
        return tar.getmember(name).offset_data


def test_corrupted_member_is_refused_and_nothing_changes(world, tmp_path):
    populated(world)
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), stdout=StringIO())
    flip_byte(archive, _member_offset(archive, "data.json") + 40)
    wipe_installation()
    with pytest.raises(CommandError, match=r"nothing changed: member data\.json: SHA-256 mismatch"):
        call_command("restore", str(archive), stdout=StringIO())
    assert not Hazard.objects.exists() and not User.objects.exists() and not Event.objects.exists()


def test_corrupted_evidence_file_is_named(world, tmp_path):
    _hazard, evidence = populated(world)
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), stdout=StringIO())
    flip_byte(archive, _member_offset(archive, f"media/{evidence.file.name}") + 10)
    wipe_installation()
    with pytest.raises(CommandError, match=rf"media/{evidence.file.name}: SHA-256 mismatch"):
        call_command("restore", str(archive), stdout=StringIO())
    assert not Hazard.objects.exists()


def test_damaged_archive_structure_is_refused(world, tmp_path):
    populated(world)
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), stdout=StringIO())
    flip_byte(archive, 100)  # inside the first tar header: its checksum no longer matches
    wipe_installation()
    with pytest.raises(CommandError, match="nothing changed"):
        call_command("restore", str(archive), stdout=StringIO())
    assert not User.objects.exists()


def test_restore_refuses_a_non_empty_installation(world, tmp_path):
    populated(world)
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), stdout=StringIO())
    events = Event.objects.count()
    with pytest.raises(CommandError, match="empty installation"):
        call_command("restore", str(archive), stdout=StringIO())
    assert Event.objects.count() == events


def test_missing_archive_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "nope.tar"), stdout=StringIO())
