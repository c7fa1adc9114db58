import io
import zipfile
from datetime import date

import openpyxl
import pytest

from worksafe.audit.models import Event
from worksafe.hazards.models import Hazard
from worksafe.ledgers import importer, services, sheets
from worksafe.ledgers.models import ImportJob
from worksafe.orgs.models import Organization
from worksafe.orgs.uscc import make_code

from .conftest import upload, workbook

pytestmark = [pytest.mark.frozen_at("2026-11-23 02:00:00+00:00"), pytest.mark.usefixtures("frozen")]

URL = "/api/v1/ledgers/imports"
TODAY = date(2026, 11, 23)


def new_uscc(n: int, region: str = "210202") -> str:
    return make_code(f"91{region}", f"{77000000 + n:08d}")


def ent_row(n: int, **over) -> dict:
    row = {
        "name": f"大连测试企业{n}有限公司",
        "uscc": new_uscc(n),
        "region": "210202",
        "industry": "危险化学品",
        "address": "大连市中山区人民路1号",
        "legal_representative": "张三",
        "safety_principal": "李四",
        "staff_count": 120,
    }
    row.update(over)
    return row


def hz_row(world, **over) -> dict:
    row = {
        "enterprise_uscc": world.enterprise_a.uscc,
        "title": "储罐区可燃气体报警器失效",
        "description": "报警器未按期检定",
        "location": "罐区",
        "level": "一般",
        "source": "检查",
        "due_date": date(2026, 12, 31),
        "responsible_person": "王五",
    }
    row.update(over)
    return row


class Done:
    """The upload's answer, with the job as it reads after the queued task ran."""

    def __init__(self, resp, client):
        self.status_code = resp.status_code
        self.resp, self.client = resp, client

    def json(self):
        body = self.resp.json()
        if self.status_code == 201:
            return self.client.get(f"{URL}/{body['id']}").json()
        return body


def start(api, user, kind, content, *, dry_run=False, run_tasks=None):
    client = api(user)
    with run_tasks():
        resp = client.upload(URL, {"kind": kind, "file": upload(content), "dry_run": dry_run})
    return Done(resp, client)


# --- templates ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["enterprises", "hazards"])
def test_template_download_has_chinese_headers_codes_and_code_sheet(world, api, kind):
    resp = api(world.office).get(f"/api/v1/ledgers/templates/{kind}")
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    ws = wb.worksheets[0]
    codes = [c.code for c in sheets.columns(kind)]
    assert [c.value for c in ws[2]] == codes
    assert ws.cell(row=1, column=1).value.startswith(sheets.columns(kind)[0].zh)
    listed = {row[1] for row in wb.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert (
        ("hazardous_chemicals" in listed)
        if kind == "enterprises"
        else ({"general", "major", "self_check"} <= listed)
    )


def test_unknown_template_kind_is_404(world, api):
    assert api(world.office).get("/api/v1/ledgers/templates/people").status_code == 404


def test_round_trip_template_upload_creates_enterprises_with_events(world, api, run_tasks):
    content = workbook(
        "enterprises", [ent_row(1), ent_row(2, industry="construction", staff_count="", region=210202)]
    )
    resp = start(api, world.office, "enterprises", content, run_tasks=run_tasks)
    assert resp.status_code == 201, resp.content
    job = ImportJob.objects.get(pk=resp.json()["id"])
    assert job.status == ImportJob.Status.DONE
    assert (job.total_rows, job.done_rows, job.created_count, job.failed_count) == (2, 2, 2, 0)
    assert [r["row"] for r in job.results] == [3, 4]
    created = Organization.objects.filter(uscc__in=[new_uscc(1), new_uscc(2)])
    assert created.count() == 2
    org = created.get(uscc=new_uscc(1))
    assert (org.industry, org.staff_count, org.safety_principal) == ("hazardous_chemicals", 120, "李四")
    for org in created:
        assert Event.objects.filter(
            subject_type="organization", subject_id=str(org.pk), action="create"
        ).exists()
    assert Event.objects.filter(subject_type="import_job", subject_id=str(job.pk), action="finish").exists()

    body = api(world.office).get(f"{URL}/{job.pk}").json()
    assert body["status"] == "done" and body["percent"] == 100 and body["created"] == 2
    assert body["results"][0]["status"] == "created"


def test_chinese_header_only_sheet_is_read(world, api, run_tasks):
    content = workbook("enterprises", [ent_row(3)], template=False)
    resp = start(api, world.office, "enterprises", content, run_tasks=run_tasks)
    assert resp.status_code == 201
    assert resp.json()["results"][0]["row"] == 2
    assert Organization.objects.filter(uscc=new_uscc(3)).exists()


# --- invalid rows -----------------------------------------------------------------------------


def test_invalid_enterprise_rows_reported_per_column_nothing_created(world, api, run_tasks):
    rows = [
        ent_row(10, uscc="91210202MA0000000X"),  # bad check character
        ent_row(11, region="999999"),
        ent_row(12, industry="糕点"),
        ent_row(13, staff_count="很多"),
        ent_row(14),
        ent_row(15, uscc=new_uscc(14)),  # the same code twice in the file
        ent_row(16, address="路" * 301),
    ]
    resp = start(api, world.office, "enterprises", workbook("enterprises", rows), run_tasks=run_tasks)
    assert resp.status_code == 201
    results = resp.json()["results"]
    assert [r["status"] for r in results] == [
        "failed",
        "failed",
        "failed",
        "failed",
        "created",
        "failed",
        "failed",
    ]
    assert "address" in results[6]["errors"]
    assert "uscc" in results[0]["errors"]
    assert "region" in results[1]["errors"]
    assert "industry" in results[2]["errors"]
    assert "staff_count" in results[3]["errors"]
    assert "uscc" in results[5]["errors"]
    assert results[0]["message"]  # readable, with the column named
    assert Organization.objects.filter(uscc__in=[new_uscc(n) for n in (11, 12, 13, 16)]).count() == 0
    assert resp.json()["created"] == 1 and resp.json()["failed"] == 6


def test_errors_are_in_the_users_language(world, api, run_tasks):
    content = workbook("enterprises", [ent_row(20, region="999999")])
    client = api(world.office)
    with run_tasks():
        resp = client.client.post(
            URL,
            {"kind": "enterprises", "file": upload(content), "dry_run": "false"},
            headers={**client.headers, "Accept-Language": "zh-hans"},
        )
    row = Done(resp, client).json()["results"][0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in " ".join(row["errors"]["region"]))
    assert "行政区划代码" in row["message"]


def test_office_outside_its_area_gets_row_error(world, api, run_tasks):
    # Ganjingzi's office registers Ganjingzi enterprises, not Zhongshan's (the service decides).
    content = workbook(
        "enterprises", [ent_row(30), ent_row(31, region="210211", uscc=new_uscc(31, "210211"))]
    )
    resp = start(api, world.office_gjz, "enterprises", content, run_tasks=run_tasks)
    results = resp.json()["results"]
    assert results[0]["status"] == "failed" and "_row" in results[0]["errors"]
    assert results[1]["status"] == "created"
    assert not Organization.objects.filter(uscc=new_uscc(30)).exists()


def test_hazard_rows_created_and_invalid_named(world, api, run_tasks):
    rows = [
        hz_row(world),
        hz_row(world, level="critical"),
        hz_row(world, due_date="2026-13-45"),
        hz_row(world, due_date="2026-01-01"),  # in the past
        hz_row(world, enterprise_uscc=world.enterprise_h.uscc),  # Harbin: out of scope
        hz_row(world, enterprise_uscc="91210202MA0000000X"),
        hz_row(world, level="major", source="inspection", due_date="2026/12/01", title="重大隐患"),
    ]
    resp = start(api, world.inspector, "hazards", workbook("hazards", rows), run_tasks=run_tasks)
    assert resp.status_code == 201
    results = resp.json()["results"]
    assert [r["status"] for r in results] == [
        "created",
        "failed",
        "failed",
        "failed",
        "failed",
        "failed",
        "created",
    ]
    assert "level" in results[1]["errors"]
    assert "due_date" in results[2]["errors"]
    assert "due_date" in results[3]["errors"]
    assert "enterprise_uscc" in results[4]["errors"]
    assert "enterprise_uscc" in results[5]["errors"]
    hazards = Hazard.objects.filter(enterprise=world.enterprise_a).order_by("id")
    assert hazards.count() == 2
    assert [h.level for h in hazards] == ["general", "major"]
    assert hazards[1].due_date == date(2026, 12, 1)
    assert not Hazard.objects.filter(enterprise=world.enterprise_h).exists()
    for h in hazards:
        assert Event.objects.filter(subject_type="hazard", subject_id=str(h.pk), action="create").exists()
    assert results[0]["label"] == hazards[0].number


def test_enterprise_officer_importing_for_another_enterprise_gets_row_error(world, api, run_tasks):
    rows = [
        hz_row(world, source="self_check"),
        hz_row(world, enterprise_uscc=world.enterprise_b.uscc, source="self_check"),
    ]
    resp = start(api, world.officer_a, "hazards", workbook("hazards", rows), run_tasks=run_tasks)
    results = resp.json()["results"]
    assert results[0]["status"] == "created"
    assert results[1]["status"] == "failed" and "enterprise_uscc" in results[1]["errors"]
    assert not Hazard.objects.filter(enterprise=world.enterprise_b).exists()


def test_dry_run_creates_nothing_then_import_applies(world, api, run_tasks, client):
    events_before = Event.objects.count()
    content = workbook("enterprises", [ent_row(40), ent_row(41, region="999999")])
    resp = start(api, world.office, "enterprises", content, dry_run=True, run_tasks=run_tasks)
    body = resp.json()
    assert body["dry_run"] is True
    assert [r["status"] for r in body["results"]] == ["valid", "failed"]
    assert not Organization.objects.filter(uscc=new_uscc(40)).exists()
    # only the job's own two events: no organization events survive the check
    assert Event.objects.count() == events_before + 2
    assert not Event.objects.filter(subject_type="organization").exists()

    client.force_login(world.office)
    with run_tasks():
        page = client.post(f"/ledgers/jobs/{body['id']}/import/")
    assert page.status_code == 302
    applied = ImportJob.objects.exclude(pk=body["id"]).get()
    assert applied.dry_run is False and applied.created_count == 1 and applied.failed_count == 1
    assert Organization.objects.filter(uscc=new_uscc(40)).count() == 1


def test_hazard_dry_run_does_not_use_numbers(world, api, run_tasks):
    start(
        api, world.office, "hazards", workbook("hazards", [hz_row(world)]), dry_run=True, run_tasks=run_tasks
    )
    assert not Hazard.objects.exists()
    hazard = world.make_hazard()
    assert hazard.number.endswith("-000001")


# --- the file and who may send it ----------------------------------------------------------------


def _zip(parts: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        b"name,uscc\nA,B\n",
        b"",
        b"PK\x03\x04 broken zip",
        _zip({"word/document.xml": "<x/>"}),
        _zip({"[Content_Types].xml": "application/vnd.ms-excel.sheet.macroEnabled.main+xml"}),
        _zip({"[Content_Types].xml": sheets.XLSX_MAIN, "xl/vbaProject.bin": "x"}),
        _zip({"[Content_Types].xml": sheets.XLSX_MAIN}),  # claims to be a workbook, is not
    ],
)
def test_non_xlsx_content_is_422_on_file(world, api, run_tasks, content):
    resp = start(api, world.office, "enterprises", content, run_tasks=run_tasks)
    assert resp.status_code == 422
    assert "file" in resp.json()["errors"]
    assert not ImportJob.objects.exists()


def test_missing_columns_422_on_file(world, api, run_tasks):
    wb = openpyxl.Workbook()
    wb.active.append(["企业名称", "地址"])
    out = io.BytesIO()
    wb.save(out)
    resp = start(api, world.office, "enterprises", out.getvalue(), run_tasks=run_tasks)
    assert resp.status_code == 422
    assert "统一社会信用代码" in resp.json()["errors"]["file"][0]


def test_bad_kind_is_422_and_missing_file_is_422(world, api, run_tasks):
    resp = start(api, world.office, "people", workbook("enterprises", []), run_tasks=run_tasks)
    assert resp.status_code == 422 and "kind" in resp.json()["errors"]
    resp = api(world.office).upload(URL, {"kind": "enterprises"})
    assert resp.status_code == 422 and "file" in resp.json()["errors"]


@pytest.mark.parametrize(
    ("who", "kind"), [("inspector", "enterprises"), ("expert", "hazards"), ("leader", "hazards")]
)
def test_roles_the_services_do_not_allow_are_403(world, api, run_tasks, who, kind):
    resp = start(api, getattr(world, who), kind, workbook(kind, []), run_tasks=run_tasks)
    assert resp.status_code == 403
    assert not ImportJob.objects.exists()


def test_anonymous_is_401(world, api):
    assert (
        api(None).upload(URL, {"kind": "hazards", "file": upload(workbook("hazards", []))}).status_code == 401
    )


def test_another_users_job_is_404_admin_sees_it(world, api, run_tasks):
    job_id = start(
        api, world.office, "enterprises", workbook("enterprises", [ent_row(50)]), run_tasks=run_tasks
    ).json()["id"]
    assert api(world.office_gjz).get(f"{URL}/{job_id}").status_code == 404
    assert api(world.outsider).get(f"{URL}/{job_id}/result").status_code == 404
    assert api(world.admin).get(f"{URL}/{job_id}").status_code == 200
    assert api(world.office).get(f"{URL}/999999").status_code == 404
    assert api(world.office).get(f"{URL}/99999999999999999999999").status_code in (404, 422)


def test_result_workbook_has_result_column(world, api, run_tasks):
    content = workbook("enterprises", [ent_row(60), ent_row(61, region="999999")])
    job_id = start(api, world.office, "enterprises", content, run_tasks=run_tasks).json()["id"]
    resp = api(world.office).get(f"{URL}/{job_id}/result")
    assert resp.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(resp.content)).worksheets[0]
    col = len(sheets.columns("enterprises")) + 1
    assert (ws.cell(row=1, column=col).value, ws.cell(row=2, column=col).value) == sheets.RESULT_HEADER
    assert ws.cell(row=3, column=col).value.startswith(("Created", "已创建"))
    assert ws.cell(row=4, column=col).value


# --- progress and cost ------------------------------------------------------------------------


def test_progress_counters_follow_the_rows(world, api):
    content = workbook("enterprises", [ent_row(70), ent_row(71, region="999999"), ent_row(72)])
    job = services.import_job_create(actor=world.office, kind="enterprises", content=content, dry_run=False)
    assert (job.status, job.total_rows, job.done_rows, job.percent) == ("queued", 3, 0, 0)
    body = api(world.office).get(f"{URL}/{job.pk}").json()
    assert body["status"] == "queued" and body["percent"] == 0
    importer.import_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.done_rows, job.created_count, job.failed_count, job.percent) == (
        "done",
        3,
        2,
        1,
        100,
    )
    # a second run (a task delivered twice) changes nothing
    importer.import_run(job_id=job.pk)
    assert Organization.objects.filter(uscc__in=[new_uscc(70), new_uscc(72)]).count() == 2


def _run_counting(job_id: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        importer.import_run(job_id=job_id)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("kind", ["hazards", "enterprises"])
def test_query_count_is_bounded_per_row(world, kind):
    # Measured: about 14 queries a hidden danger and 15 an enterprise (savepoint, the service's
    # own reads and writes, its audit event, the progress counter), plus a fixed start and finish.
    per_row, fixed = 16, 20
    counts = {}
    for n in (5, 20):
        if kind == "hazards":
            rows, actor = [hz_row(world, title=f"隐患{i}") for i in range(n)], world.inspector
        else:
            rows, actor = [ent_row(100 * n + i) for i in range(n)], world.office
        job = services.import_job_create(actor=actor, kind=kind, content=workbook(kind, rows), dry_run=False)
        counts[n] = _run_counting(job.pk)
        job.refresh_from_db()
        assert job.created_count == n
        assert counts[n] <= fixed + n * per_row
    assert (counts[20] - counts[5]) / 15 <= per_row  # linear in the rows, nothing quadratic


def test_job_detail_query_count(world, api, run_tasks, django_assert_max_num_queries):
    job_id = start(
        api,
        world.office,
        "enterprises",
        workbook("enterprises", [ent_row(80), ent_row(81)]),
        run_tasks=run_tasks,
    ).json()["id"]
    client = api(world.office)
    with django_assert_max_num_queries(4):
        assert client.get(f"{URL}/{job_id}").status_code == 200
