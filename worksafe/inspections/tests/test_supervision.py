from worksafe.inspections.models import ChecklistTemplate, Opinion

URL = "/api/v1/inspections"


def _supervise(world, api):
    checklist = ChecklistTemplate.objects.get(code="national-hazardous_chemicals", version=1)
    office = api(world.office)
    insp = office.post(
        URL,
        {
            "target": world.committee_gjz.pk,
            "kind": "government_supervision",
            "planned_on": "2026-06-10",
            "checklist": checklist.pk,
        },
    )
    assert insp.status_code == 201, insp.content
    insp_id = insp.json()["id"]
    office.post(f"{URL}/{insp_id}/start")
    item = checklist.items.filter(is_major=True).first()
    office.post(f"{URL}/{insp_id}/answers", {"item": item.pk, "result": "fail", "note": "区级未落实监管"})
    office.post(f"{URL}/{insp_id}/findings", {"title": "未开展专项检查", "level": "general"})
    finished = office.post(f"{URL}/{insp_id}/finish")
    assert finished.status_code == 200
    return finished.json()


def test_supervision_produces_opinions_not_hazards(world, api):
    body = _supervise(world, api)
    assert body["hazards"] == [] and len(body["opinions"]) == 2
    opinions = Opinion.objects.filter(pk__in=body["opinions"])
    assert {o.addressee_id for o in opinions} == {world.committee_gjz.pk}
    assert sorted(o.is_major for o in opinions) == [False, True]


def test_an_enterprise_cannot_be_supervised_and_a_government_not_inspected_routinely(world, api):
    office = api(world.office)
    r1 = office.post(
        URL, {"target": world.enterprise_a.pk, "kind": "government_supervision", "planned_on": "2026-06-10"}
    )
    assert r1.status_code == 422 and "target" in r1.json()["errors"]
    r2 = office.post(URL, {"target": world.committee_gjz.pk, "kind": "routine", "planned_on": "2026-06-10"})
    assert r2.status_code == 422 and "kind" in r2.json()["errors"]
    r3 = api(world.office_gjz).post(
        URL, {"target": world.committee.pk, "kind": "government_supervision", "planned_on": "2026-06-10"}
    )
    assert r3.status_code == 422 and "target" in r3.json()["errors"]  # no supervising upwards


def test_opinions_are_tracked_to_acceptance(world, api):
    opinion_id = _supervise(world, api)["opinions"][0]
    district, city = api(world.office_gjz), api(world.office)
    url = f"/api/v1/opinions/{opinion_id}/transition"
    assert district.get(f"/api/v1/opinions/{opinion_id}").status_code == 200
    assert api(world.outsider).get(f"/api/v1/opinions/{opinion_id}").status_code == 404
    progress = district.post(url, {"action": "report", "version": 1, "note": "已部署专项检查"})
    assert progress.status_code == 200 and progress.json()["status"] == "rectifying"
    assert district.post(url, {"action": "submit", "version": 1, "note": "x"}).status_code == 409
    assert district.post(url, {"action": "submit", "version": 2, "note": ""}).status_code == 422
    assert city.post(url, {"action": "submit", "version": 2, "note": "x"}).status_code == 403
    assert (
        district.post(url, {"action": "submit", "version": 2, "note": "已完成"}).json()["status"]
        == "pending_acceptance"
    )
    assert district.post(url, {"action": "accept", "version": 3}).status_code == 403
    assert api(world.leader).post(url, {"action": "accept", "version": 3}).status_code == 403
    accepted = city.post(url, {"action": "accept", "version": 3})
    assert accepted.status_code == 200 and accepted.json()["status"] == "closed"
    assert city.post(url, {"action": "fly", "version": 4}).status_code == 422


def test_inspectors_do_not_supervise_governments(world, api):
    response = api(world.inspector).post(
        URL, {"target": world.committee_gjz.pk, "kind": "government_supervision", "planned_on": "2026-06-10"}
    )
    assert response.status_code == 422 and "target" in response.json()["errors"]
