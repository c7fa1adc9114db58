import io

import openpyxl
import pytest

from worksafe.ledgers.models import ImportJob
from worksafe.orgs.models import Organization

from .conftest import upload, workbook
from .test_imports import ent_row, new_uscc

pytestmark = [pytest.mark.frozen_at("2026-11-23 02:00:00+00:00"), pytest.mark.usefixtures("frozen")]


def test_upload_page_lists_templates_and_allowed_kinds(world, client):
    client.force_login(world.officer_a)
    page = client.get("/ledgers/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/ledgers/templates/hazards.xlsx" in html
    # an enterprise officer imports hidden dangers, never enterprises
    assert 'value="hazards"' in html and 'value="enterprises"' not in html
    assert "style=" not in html and "<script>" not in html


def test_nav_and_list_links(world, client):
    client.force_login(world.office)
    assert "/ledgers/" in client.get("/").content.decode()
    assert "/ledgers/?kind=enterprises" in client.get("/enterprises/").content.decode()
    assert "/ledgers/?kind=hazards" in client.get("/hazards/").content.decode()


def test_template_download_page(world, client):
    client.force_login(world.office)
    resp = client.get("/ledgers/templates/enterprises.xlsx")
    assert resp.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(resp.content)).worksheets[0]["A2"].value == "name"
    assert client.get("/ledgers/templates/nothing.xlsx").status_code == 404


def test_upload_check_then_job_page_with_progress_and_results(world, client, run_tasks):
    client.force_login(world.office)
    content = workbook("enterprises", [ent_row(200), ent_row(201, region="999999")])
    with run_tasks():
        resp = client.post("/ledgers/", {"kind": "enterprises", "file": upload(content), "dry_run": "on"})
    job = ImportJob.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/ledgers/jobs/{job.pk}/"
    assert job.dry_run and not Organization.objects.filter(uscc=new_uscc(200)).exists()
    page = client.get(resp["Location"]).content.decode()
    assert "<progress" in page and 'value="100"' in page
    assert "hx-trigger" not in page  # finished: no more polling
    assert f"/ledgers/jobs/{job.pk}/import/" in page
    partial = client.get(f"/ledgers/jobs/{job.pk}/progress/").content.decode()
    assert "<html" not in partial and "job-progress" in partial
    result = client.get(f"/ledgers/jobs/{job.pk}/result.xlsx")
    assert result.status_code == 200


def test_queued_job_page_polls(world, client):
    from worksafe.ledgers import services

    job = services.import_job_create(
        actor=world.office, kind="enterprises", content=workbook("enterprises", [ent_row(210)])
    )
    client.force_login(world.office)
    page = client.get(f"/ledgers/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and f"/ledgers/jobs/{job.pk}/progress/" in page


def test_bad_file_error_shown_next_to_field_and_nothing_stored(world, client):
    client.force_login(world.office)
    resp = client.post("/ledgers/", {"kind": "enterprises", "file": upload(b"not a workbook", "x.xlsx")})
    assert resp.status_code == 200
    assert resp.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_role_without_import_is_error_on_kind(world, client):
    client.force_login(world.inspector)
    resp = client.post("/ledgers/", {"kind": "enterprises", "file": upload(workbook("enterprises", []))})
    assert resp.status_code == 200 and resp.context["form"].errors["kind"]


def test_other_users_job_pages_are_404(world, client, run_tasks):
    from worksafe.ledgers import services

    job = services.import_job_create(
        actor=world.office, kind="enterprises", content=workbook("enterprises", [ent_row(220)])
    )
    client.force_login(world.office_gjz)
    for url in ("", "progress/", "result.xlsx"):
        assert client.get(f"/ledgers/jobs/{job.pk}/{url}").status_code == 404
    assert client.post(f"/ledgers/jobs/{job.pk}/import/").status_code == 404


def test_admin_sees_but_may_not_apply_anothers_check(world, client, run_tasks):
    from worksafe.ledgers import services

    with run_tasks():
        job = services.import_start(
            actor=world.office, kind="enterprises", content=workbook("enterprises", [ent_row(230)])
        )
    client.force_login(world.admin)
    assert client.get(f"/ledgers/jobs/{job.pk}/").status_code == 200
    assert client.post(f"/ledgers/jobs/{job.pk}/import/").status_code == 403
    assert ImportJob.objects.count() == 1


def test_chinese_page(world, client, run_tasks):
    client.force_login(world.office)
    client.cookies["django_language"] = "zh-hans"
    html = client.get("/ledgers/", headers={"accept-language": "zh-hans"}).content.decode()
    assert "下载" in html


def test_zh_hans_catalogue_complete():
    import re
    from pathlib import Path

    po = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    assert len(entries) > 60
    assert "#, fuzzy" not in text
    empty = [e for e in entries if re.search(r'^msgstr(\[0\])? ""(?!\n")', e + "\n", re.MULTILINE)]
    assert empty == []


def test_applying_an_import_again_is_refused_with_a_message(world, client, run_tasks):
    from worksafe.ledgers import services

    with run_tasks():
        job = services.import_start(
            actor=world.office,
            kind="enterprises",
            content=workbook("enterprises", [ent_row(240)]),
            dry_run=False,
        )
    client.force_login(world.office)
    resp = client.post(f"/ledgers/jobs/{job.pk}/import/", follow=True)
    assert resp.status_code == 200
    assert [str(m) for m in resp.context["messages"]]
    assert ImportJob.objects.count() == 1
    assert Organization.objects.filter(uscc=new_uscc(240)).count() == 1


def test_job_page_query_count(world, client, run_tasks, django_assert_max_num_queries):
    from worksafe.ledgers import services

    rows = [ent_row(250 + i) for i in range(10)]
    with run_tasks():
        job = services.import_start(
            actor=world.office, kind="enterprises", content=workbook("enterprises", rows)
        )
    client.force_login(world.office)
    client.get("/ledgers/")  # warm the session
    with django_assert_max_num_queries(8):
        assert client.get(f"/ledgers/jobs/{job.pk}/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/ledgers/jobs/{job.pk}/progress/").status_code == 200
