"""The outside attack's findings (S1…S11), each replayed the way the attacker did it."""

import io
import time
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from worksafe.ledgers import services
from worksafe.ledgers.models import ImportJob
from worksafe.orgs.scope import admits

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- S1: a ledger costs no more than its real rows ----------------------------------------------


def row_bomb(row_number: int) -> bytes:
    """A hazards ledger with a header, one data row and one row at `row_number`, and no
    <dimension>: openpyxl then yields an empty row for every number in between."""

    def cells(r: int, values: list[str]) -> str:
        return "".join(
            f'<c r="{chr(65 + i)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values)
        )

    header = ["enterprise_uscc", "title", "level", "source", "due_date"]
    data = ["91210202MA0000000X", "bomb", "general", "self_check", "2026-12-31"]
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f'<row r="1">{cells(1, header)}</row><row r="2">{cells(2, data)}</row>'
        f'<row r="{row_number}">{cells(row_number, data)}</row>'
        "</sheetData></worksheet>"
    )
    ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}">'
            f'<Relationship Id="rId1" Type="{office}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'xmlns:r="{office}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}">'
            f'<Relationship Id="rId1" Type="{office}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return out.getvalue()


@pytest.mark.parametrize("row_number", [20_000_000, 10**12])
def test_s1_row_index_bomb_refused_fast(world, api, row_number):
    content = row_bomb(row_number)
    assert len(content) < 2000
    started = time.perf_counter()
    response = api(world.officer_a).upload(
        "/api/v1/ledgers/imports",
        {
            "kind": "hazards",
            "dry_run": True,
            "file": SimpleUploadedFile("bomb.xlsx", content, content_type=XLSX),
        },
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 422, response.content
    assert "file" in response.json()["errors"]
    assert elapsed < 2, elapsed
    assert not ImportJob.objects.exists()


def test_s1_row_limit_is_read_when_called(world, api, settings):
    settings.WORKSAFE_LEDGER_MAX_ROWS = 1
    response = api(world.officer_a).upload(
        "/api/v1/ledgers/imports",
        {
            "kind": "hazards",
            "dry_run": True,
            "file": SimpleUploadedFile("r.xlsx", row_bomb(3), content_type=XLSX),
        },
    )
    assert response.status_code == 422
    assert "1" in response.json()["errors"]["file"][0]


def test_s1_stored_bomb_is_cheap_for_the_worker_and_the_result_download(world, api):
    """A bomb stored before uploads were checked: the worker fails it and the result
    download answers, each in far less than the minutes it used to cost."""
    job = ImportJob(user=world.officer_a, kind="hazards")
    job.file.save("bomb.xlsx", ContentFile(row_bomb(20_000_000)))
    started = time.perf_counter()
    services.import_run(job_id=job.pk)
    response = api(world.officer_a).get(f"/api/v1/ledgers/imports/{job.pk}/result")
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "5000" in job.detail
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert elapsed < 2, elapsed


# --- S2: one predicate says where a user may place a record -------------------------------------


def test_s2_admits_follows_the_scope(world):
    chem, gas = "hazardous_chemicals", "gas"
    a = world.enterprise_a.pk
    cases = [
        (world.admin, "420115", gas, None, True),
        (world.office, "210211", gas, None, True),
        (world.office, "420115", None, None, False),
        (world.office_gjz, "210202", None, None, False),
        (world.inspector, "210202", chem, None, True),
        (world.inspector, "210202", "construction", None, False),
        (world.inspector_zs, "210211", chem, None, False),
        (world.officer_a, "210202", chem, a, True),
        (world.officer_a, "210202", None, None, True),
        (world.officer_a, "210211", chem, a, False),  # another district
        (world.officer_a, "420115", gas, a, False),  # the outside attack
        (world.officer_a, "210202", gas, a, False),  # another industry
        (world.officer_a, "210202", chem, world.enterprise_b.pk, False),
        (world.leader, "210202", chem, None, True),
        (world.expert, "210202", chem, None, False),
    ]
    for user, region, industry, enterprise, expected in cases:
        got = admits(user, region=region, industry=industry, enterprise=enterprise)
        assert got is expected, (user.username, region, industry, enterprise)
