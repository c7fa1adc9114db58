"""The audit log cannot be changed or deleted from outside: the API has no such route and the
admin site refuses, even a superuser; the chain stays intact."""

from django.test import Client

from worksafe.api import api
from worksafe.audit.models import Event
from worksafe.audit.services import verify_chain


def test_api_has_no_route_that_writes_events():
    document = api.get_openapi_schema()
    for path, methods in document["paths"].items():
        if "event" in path or "audit" in path:
            assert set(methods) == {"get"}, f"{path} offers {sorted(methods)}: events are read-only"


def test_api_event_routes_refuse_writes(world, api):
    hazard = world.make_hazard()
    client = api(world.admin)
    url = f"/api/v1/hazards/{hazard.pk}/events"
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client.client, method)(
            url, "{}", content_type="application/json", headers=client.headers
        )
        assert response.status_code == 405, (method, response.status_code)
    assert Event.objects.filter(subject_id=str(hazard.pk)).count() == 1


def test_admin_cannot_change_or_delete_events(world):
    world.make_hazard()
    event = Event.objects.order_by("id").last()
    before = (event.hash, event.note, event.action)
    client = Client()
    client.force_login(world.admin)
    assert client.get("/admin/audit/event/").status_code == 200  # readable
    change = client.post(f"/admin/audit/event/{event.pk}/change/", {"action": "tampered", "note": "x"})
    delete = client.post(f"/admin/audit/event/{event.pk}/delete/", {"post": "yes"})
    add = client.post("/admin/audit/event/add/", {"action": "forged"})
    bulk = client.post(
        "/admin/audit/event/", {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    )
    assert change.status_code == 403
    assert delete.status_code == 403
    assert add.status_code == 403
    assert bulk.status_code in (200, 302, 403)  # no bulk delete action exists: nothing happens
    event.refresh_from_db()
    assert (event.hash, event.note, event.action) == before
    assert Event.objects.filter(pk=event.pk).exists()
    assert verify_chain() is None
    # Each refusal is itself on record.
    assert Event.objects.filter(action="permission_denied", actor=world.admin).count() >= 3
