"""Finishing: unanswered items need a confirmation, and photos follow findings into hazards."""

import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile

from worksafe.audit.models import Event
from worksafe.hazards.models import Evidence, Hazard
from worksafe.inspections.models import Answer, Inspection
from worksafe.testing import PNG

URL = "/api/v1/inspections"


def started(world, api, plan_inspection):
    insp = plan_inspection("routine")
    client = api(world.inspector)
    assert client.post(f"{URL}/{insp['id']}/start").status_code == 200
    return insp["id"], client


def answer_all_but(client, insp_id, checklist, left: int):
    items = list(checklist.items.order_by("position"))
    for item in items[: len(items) - left]:
        assert client.post(f"{URL}/{insp_id}/answers", {"item": item.pk, "result": "pass"}).status_code == 200
    return items


def test_api_finish_with_unanswered_items_and_the_flag_false_is_422_naming_items(
    world, api, plan_inspection, chem_checklist
):
    insp_id, client = started(world, api, plan_inspection)
    items = answer_all_but(client, insp_id, chem_checklist, left=1)
    response = client.post(f"{URL}/{insp_id}/finish", {"allow_unanswered": False})
    assert response.status_code == 422
    assert f"1 of {len(items)}" in response.json()["errors"]["items"][0]
    assert Inspection.objects.get(pk=insp_id).status == Inspection.Status.IN_PROGRESS
    confirmed = client.post(f"{URL}/{insp_id}/finish", {"allow_unanswered": True})
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "finished"


def test_api_finish_with_every_item_answered_needs_no_flag(world, api, plan_inspection, chem_checklist):
    insp_id, client = started(world, api, plan_inspection)
    items = answer_all_but(client, insp_id, chem_checklist, left=0)
    response = client.post(f"{URL}/{insp_id}/finish", {"allow_unanswered": False})
    assert response.status_code == 200
    assert response.json()["answered"] == response.json()["items"] == len(items)


def test_api_finish_without_the_flag_keeps_the_first_versions_behaviour(world, api, plan_inspection):
    # design.md: finish accepts an empty body; such a client finishes as before, and sees counts.
    insp_id, client = started(world, api, plan_inspection)
    response = client.post(f"{URL}/{insp_id}/finish", {})
    assert response.status_code == 200 and response.json()["answered"] == 0 and response.json()["items"] > 0


def test_the_page_shows_progress_and_asks_to_confirm(world, client, api, plan_inspection, chem_checklist):
    insp_id, api_client = started(world, api, plan_inspection)
    items = answer_all_but(api_client, insp_id, chem_checklist, left=len(chem_checklist.items.all()) - 1)
    client.force_login(world.inspector)
    page = client.get(f"/inspections/{insp_id}/").content.decode()
    assert f"1 of {len(items)} answered" in page and 'name="allow_unanswered"' in page
    response = client.post(f"/inspections/{insp_id}/finish/", follow=True)
    assert f"{len(items) - 1} of {len(items)}" in response.content.decode()
    assert Inspection.objects.get(pk=insp_id).status == Inspection.Status.IN_PROGRESS
    client.post(f"/inspections/{insp_id}/finish/", {"allow_unanswered": "on"})
    assert Inspection.objects.get(pk=insp_id).status == Inspection.Status.FINISHED


def test_an_answer_saved_by_htmx_updates_the_progress(world, client, api, plan_inspection, chem_checklist):
    insp_id, _api = started(world, api, plan_inspection)
    client.force_login(world.inspector)
    item = chem_checklist.items.first()
    html = client.post(
        f"/inspections/{insp_id}/items/{item.pk}/", {"result": "pass"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'id="insp-progress" hx-swap-oob="true"' in html
    assert f"1 of {chem_checklist.items.count()} answered" in html


def test_photos_of_a_failed_item_and_a_finding_become_the_hazards_before_evidence(
    world, api, plan_inspection, chem_checklist
):
    insp_id, client = started(world, api, plan_inspection)
    failed, passed = chem_checklist.items.order_by("position")[:2]
    client.post(f"{URL}/{insp_id}/answers", {"item": failed.pk, "result": "fail", "note": "报警器失效"})
    client.post(f"{URL}/{insp_id}/answers", {"item": passed.pk, "result": "pass"})
    finding = client.post(f"{URL}/{insp_id}/findings", {"title": "安全出口上锁"}).json()
    for extra in ({"item": failed.pk}, {"item": passed.pk}, {"finding": finding["id"]}):
        upload = {"file": SimpleUploadedFile("p.png", PNG), **extra}
        assert client.upload(f"{URL}/{insp_id}/photos", upload).status_code == 201
    assert client.post(f"{URL}/{insp_id}/finish", {"allow_unanswered": True}).status_code == 200

    item_hazard = Answer.objects.get(inspection_id=insp_id, item=failed).hazard
    finding_hazard = Hazard.objects.get(title="安全出口上锁")
    digest = hashlib.sha256(PNG).hexdigest()
    for hazard in (item_hazard, finding_hazard):
        (evidence,) = Evidence.objects.filter(hazard=hazard)  # the passed item's photo stays
        assert evidence.kind == Evidence.Kind.BEFORE and evidence.sha256 == digest
        with evidence.file.open("rb") as stored:
            assert stored.read() == PNG
        event = Event.objects.get(subject_type="hazard", subject_id=str(hazard.pk), action="evidence")
        assert event.data["sha256"] == digest and event.data["from"]["inspection"] == insp_id
    # the enterprise sees its problem's picture through the hazard's evidence list
    listed = api(world.officer_a).get(f"/api/v1/hazards/{item_hazard.pk}/evidence").json()
    assert [e["sha256"] for e in listed["items"]] == [digest]
