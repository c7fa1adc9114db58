"""The append-only, hash-chained event log and `verify_audit` (design.md "Audit", contracts)."""

import pytest
from django.contrib.admin.sites import site
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, RequestFactory

from worksafe.audit.models import AppendOnly, ChainHead, Event
from worksafe.audit.services import record_event, verify_chain


def verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


@pytest.fixture
def chain(world):
    """A few real writes: a hazard and its transitions, some token issues."""
    hazard = world.make_hazard()
    from worksafe.hazards.services import hazard_transition

    hazard_transition(
        actor=world.office, hazard_id=hazard.pk, action="assign", version=1, responsible_person="王五"
    )
    record_event(actor=world.admin, subject=hazard, action="poke", note="原始备注")
    record_event(actor=None, subject=world.admin, action="poke", data={"n": 1, "中文": "值"})
    return list(Event.objects.order_by("id"))


def sql(statement: str, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_intact_chain_verifies(chain):
    assert len(chain) == 4
    assert [e.id for e in chain] == [1, 2, 3, 4]
    assert chain[0].prev_hash == "0" * 64
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(chain, chain[1:], strict=False))
    assert verify_chain() is None
    assert "intact (4 events)" in verify()


def test_empty_chain_verifies(db):
    assert "intact (0 events)" in verify()


def test_altered_note_is_named(chain):
    target = chain[2]
    sql("UPDATE audit_event SET note = %s WHERE id = %s", "篡改", target.id)
    with pytest.raises(CommandError, match=rf"event {target.id}\b.*altered"):
        verify()


def test_altered_data_or_actor_is_named(chain):
    sql("UPDATE audit_event SET actor_id = %s WHERE id = %s", 999, chain[1].id)
    assert verify_chain().event_id == chain[1].id


def test_rehashed_row_breaks_the_next_link(chain):
    # A forger who also recomputes the altered row's hash is caught at the following row.
    target = chain[1]
    target.note = "伪造"
    new_hash = target.compute_hash()
    sql("UPDATE audit_event SET note = %s, hash = %s WHERE id = %s", "伪造", new_hash, target.id)
    problem = verify_chain()
    assert problem.event_id == chain[2].id
    assert "prev_hash" in problem.reason


def test_deleted_middle_row_is_named(chain):
    sql("DELETE FROM audit_event WHERE id = %s", chain[1].id)
    with pytest.raises(CommandError, match=rf"event {chain[1].id} is missing"):
        verify()


def test_deleted_last_row_is_detected(chain):
    sql("DELETE FROM audit_event WHERE id = %s", chain[-1].id)
    with pytest.raises(CommandError, match=rf"event {chain[-1].id}\b"):
        verify()


def test_deleted_first_row_is_detected(chain):
    sql("DELETE FROM audit_event WHERE id = %s", 1)
    assert verify_chain().event_id == 1


def test_new_events_continue_the_chain(chain, world):
    event = record_event(actor=None, subject=world.office, action="poke")
    assert event.id == 5
    assert event.prev_hash == chain[-1].hash
    head = ChainHead.objects.get()
    assert (head.last_id, head.last_hash) == (5, event.hash)
    assert verify_chain() is None


def test_events_cannot_be_changed_or_deleted_through_the_orm(chain):
    event = Event.objects.get(pk=1)
    event.note = "changed"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        Event.objects.filter(pk=1).update(note="x")
    with pytest.raises(AppendOnly):
        Event.objects.all().delete()
    with pytest.raises(AppendOnly):
        Event.objects.update(note="x")
    assert Event.objects.get(pk=1).note == chain[0].note
    assert verify_chain() is None


def test_admin_site_is_read_only_for_events(world, chain):
    model_admin = site._registry[Event]
    request = RequestFactory().get("/admin/audit/event/")
    request.user = world.admin
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, chain[0])
    assert not model_admin.has_delete_permission(request, chain[0])
    client = Client()
    client.force_login(world.admin)
    assert client.get("/admin/audit/event/").status_code == 200
    assert client.get("/admin/audit/event/add/").status_code == 403
    assert client.post(f"/admin/audit/event/{chain[0].pk}/delete/", {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=chain[0].pk).exists()


# --- every write records exactly one event ---------------------------------------------------


def test_each_write_records_exactly_one_event_with_actor_and_statuses(world, api):
    from worksafe.hazards.services import hazard_plan, hazard_transition

    def one_new_event(action, actor, fn):
        before = Event.objects.count()
        fn()
        assert Event.objects.count() == before + 1, action
        event = Event.objects.last()
        assert (event.action, event.actor_id, event.actor_label) == (action, actor.pk, actor.username)
        return event

    hazard_box = {}
    event = one_new_event(
        "create",
        world.inspector,
        lambda: hazard_box.setdefault("h", world.make_hazard(actor=world.inspector, level="major")),
    )
    hazard = hazard_box["h"]
    assert (event.from_status, event.to_status, event.subject_id) == ("", "reported", str(hazard.pk))
    event = one_new_event(
        "plan",
        world.officer_a,
        lambda: hazard_plan(
            actor=world.officer_a,
            hazard_id=hazard.pk,
            version=1,
            measures="整改",
            responsible_person="李四",
            funds="100",
            deadline=hazard.due_date,
            contingency_plan="预案",
        ),
    )
    assert event.data["after"]["plan_funds"] == "100.00"
    steps = [
        ("assign", world.inspector, {"responsible_person": "王五"}, "reported", "rectifying"),
        ("submit", world.officer_a, {}, "rectifying", "pending_acceptance"),
        ("reject", world.inspector, {"note": "不合格"}, "pending_acceptance", "rectifying"),
        ("submit", world.officer_a, {}, "rectifying", "pending_acceptance"),
        ("accept", world.office, {}, "pending_acceptance", "closed"),
    ]
    version = 2
    for action, actor, extra, src, dst in steps:
        event = one_new_event(
            action,
            actor,
            lambda a=action, u=actor, x=extra, v=version: hazard_transition(
                actor=u, hazard_id=hazard.pk, action=a, version=v, **x
            ),
        )
        assert (event.from_status, event.to_status) == (src, dst)
        version += 1
    r = api(world.admin).post(
        "/api/v1/organizations", {"kind": "government", "name": "大连市人民政府", "region": "210200"}
    )
    assert r.status_code == 201
    assert Event.objects.filter(subject_type="organization", subject_id=str(r.json()["id"])).count() == 1
    assert verify_chain() is None


def test_failed_writes_record_nothing(world, api):
    hazard = world.make_hazard()
    before = Event.objects.count()
    client = api(world.office)
    client.post(f"/api/v1/hazards/{hazard.pk}/transition", {"action": "accept", "version": 1})  # 422
    client.post(f"/api/v1/hazards/{hazard.pk}/transition", {"action": "assign", "version": 7})  # 409
    api(world.leader).post(
        f"/api/v1/hazards/{hazard.pk}/transition", {"action": "cancel", "version": 1, "note": "x"}
    )
    client.post("/api/v1/hazards", {"enterprise": world.enterprise_h.pk})
    # Nothing about the hazard or any organization (a security log may note the refusals).
    assert not Event.objects.filter(id__gt=before, subject_type__in=["hazard", "organization"]).exists()
    assert Event.objects.for_subject("hazard", hazard.pk).count() == 1
