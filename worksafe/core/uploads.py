"""Uploaded files judged by their content, never by their name or the client's word."""

import hashlib
import uuid
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils.translation import gettext as _

from .errors import Invalid

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    mime: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def as_file(self) -> tuple[str, ContentFile]:
        """A stored name of our own (no path tricks, no collisions) and the content."""
        return f"{uuid.uuid4().hex}.{EXTENSIONS[self.mime]}", ContentFile(self.content)


def check_upload(upload, *, allowed: set[str], wrong_type: str, field: str = "file") -> CheckedUpload:
    """The upload's bytes and sniffed type; 422 on `field` when missing, empty, too large or of
    a type outside `allowed`."""
    if upload is None:
        raise Invalid.field(field, _("This field is required."))
    limit = settings.WORKSAFE_EVIDENCE_MAX_BYTES
    too_large = _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
    if upload.size is not None and upload.size > limit:
        raise Invalid.field(field, too_large)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise Invalid.field(field, too_large)
    if not content:
        raise Invalid.field(field, _("The file is empty."))
    kind = filetype.guess(content)
    mime = kind.mime if kind else ""
    if mime not in allowed:
        raise Invalid.field(field, wrong_type)
    return CheckedUpload(content, mime)


def attachment_response(field_file, content_type: str, *, inline: bool = False) -> FileResponse:
    """A stored file of the type judged at upload, sandboxed: an uploaded file can never run as
    a page of ours. Only an image may be shown inline (for the photo viewer); anything else is
    always an attachment."""
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=not (inline and content_type.startswith("image/")),
        filename=field_file.name.rsplit("/", 1)[-1],
        content_type=content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
