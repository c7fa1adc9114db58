import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from worksafe.ledgers import sheets

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(kind: str, rows: list[dict], *, template: bool = True) -> bytes:
    """Rows written into the downloaded template (or a bare sheet with Chinese headers only)."""
    cols = sheets.columns(kind)
    if template:
        wb = openpyxl.load_workbook(io.BytesIO(sheets.template_workbook(kind)))
        ws = wb.worksheets[0]
    else:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append([c.zh for c in cols])
    for row in rows:
        ws.append([row.get(c.code) for c in cols])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(content: bytes, name: str = "ledger.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run what the code hands to the task queue after commit (the immediate backend in tests)."""

    def wrapper():
        return django_capture_on_commit_callbacks(execute=True)

    return wrapper
