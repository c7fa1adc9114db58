from worksafe.hazards.models import Hazard


def test_general_hazard_walks_from_report_to_closed(world, api):
    hazard = world.make_hazard()
    office = api(world.office)
    url = f"/api/v1/hazards/{hazard.pk}"
    r = office.post(f"{url}/transition", {"action": "assign", "version": 1, "responsible_person": "王五"})
    assert r.status_code == 200, r.content
    r = api(world.officer_a).post(f"{url}/transition", {"action": "submit", "version": 2})
    assert r.status_code == 200, r.content
    r = office.post(f"{url}/transition", {"action": "accept", "version": 3})
    assert r.json()["status"] == Hazard.Status.CLOSED
    actions = [e["action"] for e in office.get(f"{url}/events").json()["items"]]
    assert actions == ["create", "assign", "submit", "accept"]


def test_outsider_gets_404(world, api):
    hazard = world.make_hazard()
    assert api(world.outsider).get(f"/api/v1/hazards/{hazard.pk}").status_code == 404
