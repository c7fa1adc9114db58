from datetime import date, timedelta

import pytest
import time_machine
from django.test import override_settings

from worksafe.audit.models import Event
from worksafe.hazards.models import Hazard
from worksafe.inspections.models import Inspection

URL = "/api/v1/inspections"
NOW = "2026-06-10 10:00 +08:00"
TODAY = date(2026, 6, 10)


def run(api, user, insp_id, answers=(), findings=(), finish=True, **finish_body):
    client = api(user)
    assert client.post(f"{URL}/{insp_id}/start").status_code == 200
    for item_id, result in answers:
        response = client.post(
            f"{URL}/{insp_id}/answers", {"item": item_id, "result": result, "note": "现场检查"}
        )
        assert response.status_code == 200, response.content
    for finding in findings:
        assert client.post(f"{URL}/{insp_id}/findings", finding).status_code == 201
    if finish:
        return client.post(f"{URL}/{insp_id}/finish", finish_body)
    return None


def test_create_requires_target_kind_and_planned_on(world, api):
    response = api(world.inspector).post(URL, {})
    assert response.status_code == 422
    assert {"target", "kind", "planned_on"} <= set(response.json()["errors"])


def test_created_inspection_has_the_contract_shape(world, api, plan_inspection, chem_checklist):
    insp = plan_inspection("routine")
    assert {"id", "target", "kind", "planned_on", "checklist", "status", "team"} <= set(insp)
    assert insp["status"] == "planned" and insp["team"] == [world.inspector.pk]
    assert insp["checklist"] == chem_checklist.pk  # the shipped one of the target's industry
    assert Event.objects.filter(
        subject_type="inspection", subject_id=str(insp["id"]), action="create"
    ).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "routine", "target": 0}, "target"),
        ({"kind": "sometimes"}, "kind"),
        ({"kind": "routine", "planned_on": "2026-02-30"}, "planned_on"),
        ({"kind": "routine", "team": [999999]}, "team"),
        ({"kind": "routine", "checklist": 999999}, "checklist"),
        ({"kind": "government_supervision"}, "target"),
    ],
)
def test_bad_input_is_422_naming_the_field(world, api, body, field):
    payload = {"target": world.enterprise_a.pk, "planned_on": "2026-06-10", **body}
    response = api(world.inspector).post(URL, payload)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_target_out_of_scope_is_422_on_target(world, api):
    for user, target in [
        (world.inspector, world.enterprise_h),  # another province
        (world.inspector_build, world.enterprise_a),  # another industry
        (world.office_gjz, world.enterprise_a),  # another district
    ]:
        response = api(user).post(URL, {"target": target.pk, "kind": "routine", "planned_on": "2026-06-10"})
        assert response.status_code == 422 and "target" in response.json()["errors"], user


def test_enterprise_officers_leaders_and_experts_may_not_plan(world, api):
    body = {"target": world.enterprise_a.pk, "kind": "routine", "planned_on": "2026-06-10"}
    for user in (world.officer_a, world.leader, world.expert):
        assert api(user).post(URL, body).status_code == 403


def test_out_of_scope_users_get_404(world, api, plan_inspection):
    insp = plan_inspection("routine")
    for user in (world.officer_b, world.outsider, world.inspector_build, world.officer_h, world.office_gjz):
        assert api(user).get(f"{URL}/{insp['id']}").status_code == 404, user
        assert api(user).post(f"{URL}/{insp['id']}/start").status_code == 404, user
    assert api(world.officer_a).get(f"{URL}/{insp['id']}").status_code == 200  # announced: the target sees it


def test_only_the_team_runs_it(world, api, plan_inspection):
    insp = plan_inspection("routine")
    assert api(world.office).get(f"{URL}/{insp['id']}").status_code == 200
    assert api(world.office).post(f"{URL}/{insp['id']}/start").status_code == 403
    assert api(world.officer_a).post(f"{URL}/{insp['id']}/start").status_code == 403
    assert Inspection.objects.get(pk=insp["id"]).status == "planned"


@time_machine.travel(NOW, tick=False)
def test_finish_registers_failed_items_and_findings_as_hazards(world, api, plan_inspection, chem_checklist):
    insp = plan_inspection("routine")
    major = chem_checklist.items.filter(is_major=True).order_by("position")[0]
    general = chem_checklist.items.filter(is_major=False).order_by("position")[0]
    passed = chem_checklist.items.order_by("position")[1]
    response = run(
        api,
        world.inspector,
        insp["id"],
        answers=[(major.pk, "fail"), (general.pk, "fail"), (passed.pk, "pass")],
        findings=[{"title": "消防通道堆放杂物", "level": "general", "location": "二号库"}],
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "finished" and len(body["hazards"]) == 3
    hazards = {h.title: h for h in Hazard.objects.filter(pk__in=body["hazards"])}
    assert all(
        h.source == "inspection" and h.enterprise_id == world.enterprise_a.pk for h in hazards.values()
    )
    assert hazards[major.text[:200]].level == "major"
    assert hazards[major.text[:200]].due_date == TODAY + timedelta(days=60)
    assert hazards[general.text[:200]].level == "general"
    assert hazards[general.text[:200]].due_date == TODAY + timedelta(days=15)
    assert hazards["消防通道堆放杂物"].location == "二号库"
    assert f"#{insp['id']}" in hazards["消防通道堆放杂物"].description
    # the enterprise sees them in its register
    listed = api(world.officer_a).get("/api/v1/hazards", source="inspection").json()["items"]
    assert {h["id"] for h in listed} == set(body["hazards"])


@time_machine.travel(NOW, tick=False)
@override_settings(WORKSAFE_INSPECTION_DUE_DAYS={"general": 7, "major": 30})
def test_due_days_come_from_settings(world, api, plan_inspection, chem_checklist):
    insp = plan_inspection("routine")
    item = chem_checklist.items.filter(is_major=True).first()
    body = run(api, world.inspector, insp["id"], answers=[(item.pk, "fail")]).json()
    assert Hazard.objects.get(pk=body["hazards"][0]).due_date == TODAY + timedelta(days=30)


def test_finishing_twice_creates_nothing_twice(world, api, plan_inspection, chem_checklist):
    insp = plan_inspection("routine")
    item = chem_checklist.items.first()
    first = run(api, world.inspector, insp["id"], answers=[(item.pk, "fail")]).json()
    count = Hazard.objects.count()
    again = api(world.inspector).post(f"{URL}/{insp['id']}/finish")
    assert again.status_code == 200
    assert again.json()["hazards"] == first["hazards"]
    assert Hazard.objects.count() == count == 1


def test_answers_need_a_started_inspection_and_an_item_of_its_checklist(
    world, api, plan_inspection, chem_checklist
):
    insp = plan_inspection("routine")
    client = api(world.inspector)
    item = chem_checklist.items.first()
    before = client.post(f"{URL}/{insp['id']}/answers", {"item": item.pk, "result": "pass"})
    assert before.status_code == 422 and "status" in before.json()["errors"]
    assert client.post(f"{URL}/{insp['id']}/finish").status_code == 422
    client.post(f"{URL}/{insp['id']}/start")
    other = chem_checklist.__class__.objects.exclude(pk=chem_checklist.pk).first().items.first()
    wrong = client.post(f"{URL}/{insp['id']}/answers", {"item": other.pk, "result": "pass"})
    assert wrong.status_code == 422 and "item" in wrong.json()["errors"]
    bad = client.post(f"{URL}/{insp['id']}/answers", {"item": item.pk, "result": "maybe"})
    assert bad.status_code == 422 and "result" in bad.json()["errors"]
    changed = client.post(f"{URL}/{insp['id']}/answers", {"item": item.pk, "result": "not_applicable"})
    assert changed.status_code == 200 and changed.json()["result"] == "not_applicable"


def test_start_records_position_and_rejects_impossible_ones(world, api, plan_inspection):
    insp = plan_inspection("routine")
    client = api(world.inspector)
    bad = client.post(f"{URL}/{insp['id']}/start", {"lat": 91, "lng": 121.6})
    assert bad.status_code == 422 and "lat" in bad.json()["errors"]
    assert client.post(f"{URL}/{insp['id']}/start", "not json").status_code == 400
    ok = client.post(f"{URL}/{insp['id']}/start", {"lat": 38.914, "lng": 121.6147})
    assert ok.status_code == 200 and ok.json()["status"] == "in_progress"
    assert float(ok.json()["start_lat"]) == pytest.approx(38.914)


def test_an_empty_body_is_accepted(world, api, plan_inspection):
    insp = plan_inspection("routine")
    client = api(world.inspector)
    raw = client.client.post(
        f"{URL}/{insp['id']}/start", "", content_type="application/json", headers=client.headers
    )
    assert raw.status_code == 200
    raw = client.client.post(
        f"{URL}/{insp['id']}/finish", "", content_type="application/json", headers=client.headers
    )
    assert raw.status_code == 200 and raw.json()["status"] == "finished"


def test_photos_are_judged_by_content(world, api, plan_inspection, chem_checklist):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    insp = plan_inspection("routine")
    client = api(world.inspector)
    client.post(f"{URL}/{insp['id']}/start")
    item = chem_checklist.items.first()
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
        b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    ok = client.upload(
        f"{URL}/{insp['id']}/photos", {"file": SimpleUploadedFile("a.png", png), "item": item.pk}
    )
    assert ok.status_code == 201 and ok.json()["item"] == item.pk
    fake = client.upload(f"{URL}/{insp['id']}/photos", {"file": SimpleUploadedFile("a.png", b"<html>")})
    assert fake.status_code == 422 and "file" in fake.json()["errors"]

    photo_url = f"{URL}/{insp['id']}/photos/{ok.json()['id']}"
    download = client.get(photo_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png" and download["Content-Disposition"].startswith(
        "attachment"
    )
    assert b"".join(download.streaming_content) == png
    assert api(world.outsider).get(photo_url).status_code == 404
    assert api(world.officer_b).get(photo_url).status_code == 404
    assert client.get(f"{URL}/{insp['id']}/photos/{ok.json()['id'] + 999}").status_code == 404
    browser = Client(SERVER_NAME="localhost")
    browser.force_login(world.inspector)
    page = browser.get(f"/inspections/{insp['id']}/")
    assert page.status_code == 200
    assert f"/inspections/{insp['id']}/photos/{ok.json()['id']}/".encode() in page.content


def test_list_filters_and_query_count(world, api, plan_inspection, django_assert_max_num_queries):
    for _ in range(3):
        plan_inspection("routine")
    plan_inspection("special")
    client = api(world.inspector)
    with django_assert_max_num_queries(6):
        response = client.get(URL, kind="special")
    assert response.status_code == 200
    assert [i["kind"] for i in response.json()["items"]] == ["special"]
    page = client.get(URL, limit=2).json()
    assert len(page["items"]) == 2 and page["next"]
    assert len(client.get(URL, limit=2, cursor=page["next"]).json()["items"]) == 2
    assert client.get(URL, limit=0).status_code == 422
    assert client.get(URL, cursor="@@").status_code == 422


def test_detail_query_count(world, api, plan_inspection, chem_checklist, django_assert_max_num_queries):
    insp = plan_inspection("routine")
    run(api, world.inspector, insp["id"], answers=[(i.pk, "fail") for i in chem_checklist.items.all()[:5]])
    client = api(world.inspector)
    with django_assert_max_num_queries(9):
        response = client.get(f"{URL}/{insp['id']}")
    assert len(response.json()["hazards"]) == 5


def test_cancel_only_while_planned(world, api, plan_inspection):
    insp = plan_inspection("routine")
    client = api(world.inspector)
    assert client.post(f"{URL}/{insp['id']}/cancel", {"note": "天气"}).json()["status"] == "cancelled"
    assert client.post(f"{URL}/{insp['id']}/start").status_code == 422


def test_every_write_is_in_the_intact_audit_chain(world, api, plan_inspection, chem_checklist):
    from worksafe.audit.services import verify_chain

    insp = plan_inspection("routine")
    run(
        api,
        world.inspector,
        insp["id"],
        answers=[(chem_checklist.items.first().pk, "fail")],
        findings=[{"title": "x"}],
    )
    actions = list(
        Event.objects.filter(subject_type="inspection", subject_id=str(insp["id"])).values_list(
            "action", flat=True
        )
    )
    assert actions == ["create", "start", "answer", "finding", "finish"]
    assert Event.objects.filter(subject_type="hazard", action="create").count() == 2
    assert verify_chain() is None
