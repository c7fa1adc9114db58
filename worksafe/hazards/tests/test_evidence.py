"""Evidence uploads are judged by their content, never by their name (design.md, API contract)."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from worksafe.audit.models import Event
from worksafe.hazards.models import Evidence, Hazard

from .conftest import bring_to


def png_bytes() -> bytes:
    """A real 1x1 white PNG, chunk by chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    """The start of a baseline JFIF file: SOI and a JFIF APP0 segment, then EOI."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


def pdf_bytes() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def upload(client, hazard, name, content, kind="before"):
    return client.upload(
        f"/api/v1/hazards/{hazard.pk}/evidence", {"kind": kind, "file": SimpleUploadedFile(name, content)}
    )


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("现场.png", png_bytes(), "image/png"),
        ("photo.JPG", jpeg_bytes(), "image/jpeg"),
        ("整改报告.pdf", pdf_bytes(), "application/pdf"),
        ("no-extension", png_bytes(), "image/png"),  # the name says nothing; content decides
        ("actually-a-png.pdf", png_bytes(), "image/png"),
    ],
)
def test_accepted_by_content(world, api, name, content, mime):
    hazard = world.make_hazard()
    r = upload(api(world.officer_a), hazard, name, content)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["content_type"], body["size"], body["original_name"]) == (mime, len(content), name)
    evidence = Evidence.objects.get(pk=body["id"])
    assert not evidence.file.name.endswith(name)  # stored under our own name
    event = Event.objects.for_subject("hazard", hazard.pk).last()
    assert (event.action, event.actor_id, event.data["sha256"]) == (
        "evidence",
        world.officer_a.pk,
        body["sha256"],
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", "这不是图片，只是文字。".encode()),
        ("page.pdf", b"<html><script>alert(1)</script></html>"),
        ("evil.png", b"MZ\x90\x00" + b"\x00" * 60),
        ("anim.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
        ("empty.png", b""),
    ],
)
def test_rejected_by_content_with_422_on_file(world, api, name, content):
    hazard = world.make_hazard()
    r = upload(api(world.office), hazard, name, content)
    assert r.status_code == 422, r.content
    assert "file" in r.json()["errors"]
    assert not Evidence.objects.exists()


def test_over_the_size_limit_is_422(world, api, settings):
    settings.WORKSAFE_EVIDENCE_MAX_BYTES = 100
    hazard = world.make_hazard()
    big = png_bytes() + b"\x00" * 100
    r = upload(api(world.office), hazard, "big.png", big)
    assert r.status_code == 422
    assert "file" in r.json()["errors"]
    assert upload(api(world.office), hazard, "small.png", png_bytes()).status_code == 201


@pytest.mark.parametrize("kind", ["during", "", "BEFORE"])
def test_invalid_kind_is_422_on_kind(world, api, kind):
    hazard = world.make_hazard()
    r = upload(api(world.office), hazard, "a.png", png_bytes(), kind=kind)
    assert r.status_code == 422
    assert "kind" in r.json()["errors"]


def test_missing_file_or_kind_is_422(world, api):
    hazard = world.make_hazard()
    client = api(world.office)
    r = client.upload(f"/api/v1/hazards/{hazard.pk}/evidence", {"kind": "before"})
    assert r.status_code == 422
    assert "file" in r.json()["errors"]
    r = client.upload(
        f"/api/v1/hazards/{hazard.pk}/evidence", {"file": SimpleUploadedFile("a.png", png_bytes())}
    )
    assert r.status_code == 422
    assert "kind" in r.json()["errors"]


def test_download_is_an_attachment_with_the_sniffed_type_and_needs_scope(world, api):
    hazard = world.make_hazard()
    content = png_bytes()
    evidence = upload(api(world.officer_a), hazard, "photo.jpg", content).json()
    assert evidence["content_type"] == "image/png"
    url = evidence["url"]
    r = api(world.inspector).get(url)
    assert r.status_code == 200
    assert r["Content-Type"] == "image/png"
    assert r["Content-Disposition"].startswith("attachment")
    assert r["X-Content-Type-Options"] == "nosniff"
    assert b"".join(r.streaming_content) == content
    listed = api(world.office).get(f"/api/v1/hazards/{hazard.pk}/evidence").json()["items"]
    assert [e["id"] for e in listed] == [evidence["id"]]
    for outsider in (world.outsider, world.officer_b, world.inspector_build, world.expert):
        assert api(outsider).get(url).status_code == 404
    assert api(None).get(url).status_code == 401
    # An evidence id under another hazard is not found either.
    other = world.make_hazard()
    assert api(world.office).get(f"/api/v1/hazards/{other.pk}/evidence/{evidence['id']}").status_code == 404


@pytest.mark.parametrize("who", ["outsider", "officer_b", "inspector_build"])
def test_upload_out_of_scope_is_404(world, api, who):
    hazard = world.make_hazard()
    assert upload(api(getattr(world, who)), hazard, "a.png", png_bytes()).status_code == 404


def test_leader_and_closed_hazard_uploads_are_403(world, api):
    hazard = world.make_hazard()
    assert upload(api(world.leader), hazard, "a.png", png_bytes()).status_code == 403
    closed = bring_to(world, world.make_hazard(), Hazard.Status.CLOSED)
    assert upload(api(world.office), closed, "a.png", png_bytes(), kind="after").status_code == 403
