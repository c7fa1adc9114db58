"""A check is imported once (D3), and what it shows is what the import does (D10): the numbers
the rows would get, errors first, choices in the user's language, drop-downs in the template."""

import io
import re

import openpyxl
import pytest
from django.db import connection
from django.utils import translation

from tests.test_concurrency import run_together
from worksafe.hazards.models import Hazard
from worksafe.ledgers import services
from worksafe.ledgers.models import ImportJob

from .conftest import workbook
from .test_imports import URL, hz_row, start

pytestmark = [pytest.mark.frozen_at("2026-11-23 02:00:00+00:00"), pytest.mark.usefixtures("frozen")]


def check(world, api, run_tasks, rows, user=None):
    """A finished check of these hazard rows; returns its API body."""
    content = workbook("hazards", rows)
    return start(api, user or world.office, "hazards", content, dry_run=True, run_tasks=run_tasks).json()


# --- applied once --------------------------------------------------------------------------------


def test_api_apply_imports_once_then_answers_409(world, api, run_tasks):
    body = check(world, api, run_tasks, [hz_row(world, title="甲"), hz_row(world, title="乙")])
    client = api(world.office)
    with run_tasks():
        first = client.post(f"{URL}/{body['id']}/apply")
    assert first.status_code == 201, first.json()
    applied = client.get(f"{URL}/{first.json()['id']}").json()
    assert applied["dry_run"] is False and applied["status"] == "done" and applied["created"] == 2
    assert client.get(f"{URL}/{body['id']}").json()["applied_job"] == applied["id"]

    with run_tasks():
        again = client.post(f"{URL}/{body['id']}/apply")
    assert again.status_code == 409
    assert f"#{applied['id']}" in again.json()["detail"]
    assert Hazard.objects.count() == 2
    assert ImportJob.objects.count() == 2


def test_api_apply_refusals(world, api, run_tasks):
    body = check(world, api, run_tasks, [hz_row(world)])
    assert api(world.office_gjz).post(f"{URL}/{body['id']}/apply").status_code == 404
    assert api(world.office).post(f"{URL}/999999/apply").status_code == 404
    assert api(world.admin).post(f"{URL}/{body['id']}/apply").status_code == 403
    real = start(api, world.office, "hazards", workbook("hazards", [hz_row(world)]), run_tasks=run_tasks)
    resp = api(world.office).post(f"{URL}/{real.json()['id']}/apply")
    assert resp.status_code == 422 and "job" in resp.json()["errors"]
    assert Hazard.objects.count() == 1  # the real import only
    assert ImportJob.objects.get(pk=body["id"]).applied_job_id is None


def test_page_offers_the_button_until_applied_then_a_link(world, api, run_tasks, client):
    body = check(world, api, run_tasks, [hz_row(world)])
    client.force_login(world.office)
    apply_url = f"/ledgers/jobs/{body['id']}/import/"
    assert apply_url in client.get(f"/ledgers/jobs/{body['id']}/").content.decode()
    with run_tasks():
        resp = client.post(apply_url)
    applied = ImportJob.objects.get(dry_run=False)
    assert resp.status_code == 302 and resp["Location"] == f"/ledgers/jobs/{applied.pk}/"
    html = client.get(f"/ledgers/jobs/{body['id']}/").content.decode()
    assert apply_url not in html
    assert f'href="/ledgers/jobs/{applied.pk}/"' in html

    with run_tasks():
        resp = client.post(apply_url, follow=True)
    assert [str(m) for m in resp.context["messages"]] == [
        f"This check was already imported (import #{applied.pk})."
    ]
    assert Hazard.objects.count() == 1 and ImportJob.objects.count() == 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every writer.")
def test_applies_at_the_same_moment_import_once(world, run_tasks):
    with run_tasks():
        checked = services.import_start(
            actor=world.office, kind="hazards", content=workbook("hazards", [hz_row(world)]), dry_run=True
        )
    results = run_together(lambda i: services.import_apply(actor=world.office, job_id=checked.pk), count=4)
    assert sum(isinstance(r, ImportJob) for r in results) == 1
    assert sum(type(r).__name__ == "Conflict" for r in results) == 3
    assert ImportJob.objects.filter(dry_run=False).count() == 1


# --- what a check shows ----------------------------------------------------------------------------


def test_check_shows_the_numbers_the_import_then_gives(world, api, run_tasks):
    rows = [
        hz_row(world, title="甲"),
        hz_row(world, level="严重"),
        hz_row(world, title="乙"),
        hz_row(world, title="丙"),
    ]
    body = check(world, api, run_tasks, rows)
    previewed = [r["label"] for r in body["results"] if r["status"] == "valid"]
    assert len(set(previewed)) == 3
    assert [int(n.rsplit("-", 1)[1]) for n in previewed] == [1, 2, 3]
    with run_tasks():
        api(world.office).post(f"{URL}/{body['id']}/apply")
    assert list(Hazard.objects.order_by("number").values_list("number", flat=True)) == previewed
    assert previewed[0] in body["results"][0]["message"]


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [("zh-hans", "一般, 重大", "general, major"), ("en", "General, Major", "general")],
)
def test_a_bad_choice_lists_the_labels_in_the_users_language(world, run_tasks, language, expected, absent):
    content = workbook("hazards", [hz_row(world, level="严重", source="路过", due_date="明天")])
    with translation.override(language), run_tasks():
        job = services.import_start(actor=world.office, kind="hazards", content=content, dry_run=True)
    errors = ImportJob.objects.get(pk=job.pk).results[0]["errors"]
    assert expected in errors["level"][0] and absent not in errors["level"][0]
    assert "due_date" in errors  # the other bad cells of the row are named too
    assert "source" in errors


@pytest.mark.parametrize(
    ("level", "source"), [("major", "inspection"), ("重大", "监督检查"), ("Major", "Inspection")]
)
def test_codes_and_labels_in_either_language_are_accepted(world, api, run_tasks, level, source):
    body = check(world, api, run_tasks, [hz_row(world, level=level, source=source)])
    assert body["results"][0]["status"] == "valid", body["results"][0]


def test_page_lists_errors_first_and_can_show_errors_only(world, api, run_tasks, client):
    rows = [hz_row(world, title="甲"), hz_row(world, title="乙"), hz_row(world, level="严重")]
    body = check(world, api, run_tasks, rows)
    client.force_login(world.office)
    html = client.get(f"/ledgers/jobs/{body['id']}/").content.decode()
    statuses = re.findall(r'<tr class="ledger-(\w+)">', html)
    assert statuses == ["failed", "valid", "valid"]
    assert "?errors=1" in html
    only = client.get(f"/ledgers/jobs/{body['id']}/?errors=1").content.decode()
    assert re.findall(r'<tr class="ledger-(\w+)">', only) == ["failed"]
    assert "-000001" in html and "-000002" in html


@pytest.mark.parametrize(
    ("kind", "columns"), [("hazards", {"level": "E", "source": "F"}), ("enterprises", {"industry": "D"})]
)
def test_template_has_drop_downs_in_the_users_language(world, client, kind, columns):
    client.force_login(world.office)
    resp = client.get(f"/ledgers/templates/{kind}.xlsx", headers={"accept-language": "zh-hans"})
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    lists = wb["lists"]
    assert lists.sheet_state == "hidden"
    checks = {str(dv.sqref).split(":")[0][0]: dv for dv in wb.worksheets[0].data_validations.dataValidation}
    assert set(checks) == set(columns.values())
    for field, letter in columns.items():
        dv = checks[letter]
        assert dv.type == "list" and dv.errorStyle == "warning"
        assert str(dv.sqref) == f"{letter}3:{letter}5002"
        ref = re.fullmatch(r"=lists!\$(\w)\$1:\$\w\$(\d+)", dv.formula1)
        values = [lists[f"{ref[1]}{r}"].value for r in range(1, int(ref[2]) + 1)]
        assert (
            values[:2]
            == {
                "level": ["一般", "重大"],
                "source": ["企业自查", "监督检查"],
                "industry": ["煤矿", "金属非金属矿山"],
            }[field]
        )
