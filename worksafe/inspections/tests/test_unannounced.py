"""四不两直 (domain.md §6): an unannounced inspection is invisible to the target's own users
until it starts — on every endpoint and page that could tell them."""

import pytest

URL = "/api/v1/inspections"


@pytest.fixture
def secret(plan_inspection):
    return plan_inspection("unannounced")


def test_invisible_to_the_target_until_started(world, api, secret):
    officer = api(world.officer_a)
    assert officer.get(f"{URL}/{secret['id']}").status_code == 404
    assert secret["id"] not in [i["id"] for i in officer.get(URL).json()["items"]]
    assert officer.get(URL, kind="unannounced").json()["items"] == []
    stats = officer.get(f"{URL}/stats").json()
    assert stats["total"] == 0 and stats["by_kind"]["unannounced"] == 0
    assert officer.get("/api/v1/hazards").json()["items"] == []
    for path in ("start", "finish", "cancel"):
        assert officer.post(f"{URL}/{secret['id']}/{path}").status_code == 404
    assert officer.post(f"{URL}/{secret['id']}/answers", {"item": 1, "result": "pass"}).status_code == 404
    assert officer.post(f"{URL}/{secret['id']}/findings", {"title": "x"}).status_code == 404


def test_invisible_on_the_pages_too(world, client, secret):
    client.force_login(world.officer_a)
    assert client.get(f"/inspections/{secret['id']}/").status_code == 404
    page = client.get("/inspections/")
    assert page.status_code == 200
    assert f"/inspections/{secret['id']}/" not in page.content.decode()
    assert page.context["counts"]["total"] == 0


def test_visible_to_the_inspectors_and_office(world, api, secret):
    assert api(world.inspector).get(f"{URL}/{secret['id']}").status_code == 200
    assert api(world.office).get(f"{URL}/{secret['id']}").status_code == 200
    assert api(world.office).get(f"{URL}/stats").json()["by_kind"]["unannounced"] == 1


def test_visible_to_the_target_once_started(world, api, secret):
    assert api(world.inspector).post(f"{URL}/{secret['id']}/start").status_code == 200
    officer = api(world.officer_a)
    assert officer.get(f"{URL}/{secret['id']}").status_code == 200
    assert officer.get(f"{URL}/stats").json()["by_kind"]["unannounced"] == 1


def test_other_enterprises_never_see_it(world, api, secret):
    api(world.inspector).post(f"{URL}/{secret['id']}/start")
    assert api(world.officer_b).get(f"{URL}/{secret['id']}").status_code == 404
