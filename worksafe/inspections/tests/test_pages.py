import re

import pytest
from django.utils import timezone

from worksafe.hazards.models import Hazard
from worksafe.inspections.models import Answer, Inspection
from worksafe.orgs.models import Organization


def _no_inline(html: str) -> None:
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)


@pytest.mark.parametrize(
    "path",
    [
        "/inspections/",
        "/inspections/new/",
        "/inspections/checklists/",
        "/inspections/plans/new/",
        "/inspections/enforcement/",
        "/inspections/enforcement/new/",
        "/inspections/activity/",
    ],
)
def test_pages_render_without_inline_code(world, client, path):
    client.force_login(world.inspector)
    response = client.get(path)
    assert response.status_code == 200
    _no_inline(response.content.decode())


def test_pages_need_login(client):
    assert client.get("/inspections/").status_code == 302


def test_plan_run_and_finish_an_unannounced_check_in_the_browser(world, client, chem_checklist):
    client.force_login(world.inspector)
    today = timezone.localdate().isoformat()
    bad = client.post(
        "/inspections/new/", {"target": world.enterprise_a.pk, "kind": "unannounced", "note": "留存"}
    )
    assert bad.status_code == 200 and "留存" in bad.content.decode()  # nothing typed is lost
    response = client.post(
        "/inspections/new/",
        {"target": world.enterprise_a.pk, "kind": "unannounced", "planned_on": today},
    )
    assert response.status_code == 302
    insp = Inspection.objects.get()
    # the enterprise sees nothing yet
    officer = client.__class__()
    officer.force_login(world.officer_a)
    assert officer.get(f"/inspections/{insp.pk}/").status_code == 404
    detail = client.get(f"/inspections/{insp.pk}/")
    assert "data-geolocate" in detail.content.decode()
    assert client.post(f"/inspections/{insp.pk}/start/", {"lat": "38.9", "lng": "121.6"}).status_code == 302
    page = client.get(f"/inspections/{insp.pk}/").content.decode()
    # The photo button offers the gallery too: `capture` would force the camera (review D18).
    assert 'accept="image/*" data-autosubmit' in page and "capture=" not in page and "hx-post" in page
    _no_inline(page)
    item = chem_checklist.items.filter(is_major=True).first()
    fragment = client.post(
        f"/inspections/{insp.pk}/items/{item.pk}/",
        {"result": "fail", "note": "报警器失效"},
        headers={"HX-Request": "true"},
    )
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert f'id="item-{item.pk}"' in html and "<html" not in html and "报警器失效" in html
    assert Answer.objects.get(inspection=insp, item=item).result == "fail"
    client.post(f"/inspections/{insp.pk}/findings/", {"title": "安全出口上锁", "level": "general"})
    assert client.post(f"/inspections/{insp.pk}/finish/", {"allow_unanswered": "on"}).status_code == 302
    insp.refresh_from_db()
    assert insp.status == "finished"
    assert Hazard.objects.filter(enterprise=world.enterprise_a, source="inspection").count() == 2
    assert officer.get(f"/inspections/{insp.pk}/").status_code == 200
    assert "2" in client.get(f"/inspections/{insp.pk}/").content.decode()


def test_outsiders_get_404_and_non_team_cannot_run(world, client, plan_inspection):
    insp = plan_inspection("routine")
    client.force_login(world.outsider)
    assert client.get(f"/inspections/{insp['id']}/").status_code == 404
    assert client.post(f"/inspections/{insp['id']}/start/").status_code == 404
    client.force_login(world.office)
    assert client.post(f"/inspections/{insp['id']}/start/").status_code == 403
    client.force_login(world.officer_a)
    assert client.get("/inspections/new/").status_code == 403


def test_enforcement_form_keeps_input_and_shows_errors(world, client):
    client.force_login(world.inspector_zs)
    response = client.post(
        "/inspections/enforcement/new/",
        {"target": world.enterprise_a.pk, "kind": "fine", "amount": "5000", "legal_basis": "依据某条"},
    )
    assert response.status_code == 403  # this department may not fine, as the API answers
    html = response.content.decode()
    assert "依据某条" in html and "insp-error" in html
    ok = client.post(
        "/inspections/enforcement/new/",
        {"target": world.enterprise_a.pk, "kind": "referral", "referred_to": world.dept_em.pk},
    )
    assert ok.status_code == 302


def test_checklist_copy_page(world, client, chem_checklist):
    client.force_login(world.office)
    response = client.post(f"/inspections/checklists/{chem_checklist.pk}/copy/", {"name": "我的检查表"})
    assert response.status_code == 302
    copy_url = response["Location"]
    added = client.post(copy_url, {"text": "新增检查项", "gloss": "new item"})
    assert added.status_code == 302
    assert "new item" in client.get(copy_url).content.decode()
    assert "新增检查项" in client.get(copy_url, headers={"accept-language": "zh-hans"}).content.decode()


def test_pages_speak_chinese(world, client, plan_inspection):
    insp = plan_inspection("unannounced")
    client.force_login(world.inspector)
    client.cookies["django_language"] = "zh-hans"
    html = client.get(f"/inspections/{insp['id']}/").content.decode()
    assert "暗查暗访" in html and "在此开始检查" in html


def test_leader_reads_but_does_not_run(world, client, plan_inspection):
    insp = plan_inspection("routine")
    client.force_login(world.leader)
    page = client.get(f"/inspections/{insp['id']}/").content.decode()
    assert "data-geolocate" not in page
    assert client.get("/inspections/new/").status_code == 403


def test_a_refused_answer_keeps_the_note_typed(world, client, plan_inspection, chem_checklist):
    insp = plan_inspection("routine")
    client.force_login(world.inspector)
    client.post(f"/inspections/{insp['id']}/start/")
    item = chem_checklist.items.first()
    fragment = client.post(
        f"/inspections/{insp['id']}/items/{item.pk}/",
        {"result": "perhaps", "note": "未保存的备注"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "未保存的备注" in fragment and "insp-error" in fragment


def test_huge_ids_in_page_urls_are_404(world, client):
    client.force_login(world.inspector)
    big = 2**70
    for url in (f"/inspections/{big}/", f"/inspections/checklists/{big}/", f"/inspections/plans/{big}/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/inspections/{big}/items/{big}/", {"result": "pass"}).status_code == 404
    assert client.get("/inspections/", {"before": str(big)}).status_code == 200


@pytest.mark.parametrize(("chosen", "recorded"), [("false", False), ("true", True), ("unknown", None)])
def test_the_finish_page_records_not_operating_too(world, client, plan_inspection, chosen, recorded):
    """A suspended enterprise found shut is a finding (False), as the API records it."""
    world.enterprise_a.status = Organization.Status.SUSPENDED
    world.enterprise_a.save(update_fields=["status"])
    inspection = plan_inspection("unannounced")
    client.force_login(world.inspector)
    assert client.post(f"/inspections/{inspection['id']}/start/").status_code == 302
    finish = {"found_operating": chosen, "allow_unanswered": "on"}
    assert client.post(f"/inspections/{inspection['id']}/finish/", finish).status_code == 302
    done = Inspection.objects.get(pk=inspection["id"])
    assert (done.status, done.found_operating) == (Inspection.Status.FINISHED, recorded)
