"""The transition kit on a real state machine (hidden dangers), and every machine built on it."""

import pytest
from django.apps import apps
from django.db import transaction

from worksafe.audit.models import Event
from worksafe.audit.services import record_event
from worksafe.core.errors import Invalid, NotFound, StaleVersion
from worksafe.core.transitions import TransitionsMixin, lock_versioned, transition
from worksafe.hazards.models import Hazard

pytestmark = pytest.mark.django_db


def hazard_events(hazard) -> list[str]:
    return list(Event.objects.for_subject(hazard).values_list("action", flat=True))


def test_the_table_answers_where_an_action_leads():
    hazard = Hazard(status=Hazard.Status.REPORTED)
    assert hazard.target_status(Hazard.Action.ASSIGN) == Hazard.Status.RECTIFYING
    assert hazard.target_status(Hazard.Action.ACCEPT) is None
    assert hazard.allowed(Hazard.Action.CANCEL)
    assert not hazard.allowed(Hazard.Action.SUBMIT)
    assert not hazard.allowed("explode")


def test_apply_moves_the_status_and_says_from_where():
    hazard = Hazard(status=Hazard.Status.PENDING_ACCEPTANCE)
    assert hazard.apply(Hazard.Action.REJECT) == (Hazard.Status.PENDING_ACCEPTANCE, Hazard.Status.RECTIFYING)
    assert hazard.status == Hazard.Status.RECTIFYING


def test_apply_refuses_what_the_status_does_not_allow_naming_the_field():
    hazard = Hazard(status=Hazard.Status.CLOSED)
    with pytest.raises(Invalid) as refused:
        hazard.apply(Hazard.Action.CANCEL)
    assert list(refused.value.errors) == ["action"]
    assert hazard.status == Hazard.Status.CLOSED
    with pytest.raises(Invalid) as custom:
        hazard.apply(Hazard.Action.CANCEL, field="status", message="no")
    assert custom.value.errors == {"status": ["no"]}


def test_an_unknown_action_lists_the_known_ones():
    with pytest.raises(Invalid) as refused:
        Hazard(status=Hazard.Status.REPORTED).apply("explode")
    assert "assign, submit, accept, reject, cancel" in str(refused.value.errors["action"][0])


def test_lock_versioned_answers_404_422_and_409(world):
    hazard = world.make_hazard()
    scope = Hazard.objects.all()
    with transaction.atomic():
        assert lock_versioned(scope, hazard.pk, 1) == hazard
        with pytest.raises(NotFound):
            lock_versioned(scope.none(), hazard.pk, 1)
        with pytest.raises(NotFound):
            lock_versioned(scope, hazard.pk + 1000, 1)
        with pytest.raises(Invalid) as missing:
            lock_versioned(scope, hazard.pk, None)
        assert list(missing.value.errors) == ["version"]
        with pytest.raises(StaleVersion) as stale:
            lock_versioned(scope, hazard.pk, 2)
        assert stale.value.status == 409 and stale.value.current == 1
        assert lock_versioned(scope, hazard.pk, None, version_required=False) == hazard


def test_transition_bumps_the_version_and_records_the_event_with_the_change(world):
    hazard = world.make_hazard()
    with transaction.atomic():
        locked = lock_versioned(Hazard.objects.all(), hazard.pk, 1)
        locked.responsible_person = "王五"
        moved = transition(
            locked,
            Hazard.Action.ASSIGN,
            record=record_event,
            fields=["responsible_person"],
            actor=world.office,
        )
    assert moved == (Hazard.Status.REPORTED, Hazard.Status.RECTIFYING)
    hazard.refresh_from_db()
    assert (hazard.status, hazard.version, hazard.responsible_person) == ("rectifying", 2, "王五")
    event = Event.objects.for_subject(hazard).last()
    assert (event.action, event.from_status, event.to_status, event.actor_id) == (
        "assign",
        "reported",
        "rectifying",
        world.office.pk,
    )


def test_a_refused_transition_changes_nothing_and_records_nothing(world):
    hazard = world.make_hazard()
    before = hazard_events(hazard)
    with pytest.raises(Invalid), transaction.atomic():
        locked = lock_versioned(Hazard.objects.all(), hazard.pk, 1)
        transition(locked, Hazard.Action.ACCEPT, record=record_event, actor=world.office)
    hazard.refresh_from_db()
    assert (hazard.status, hazard.version) == ("reported", 1)
    assert hazard_events(hazard) == before


def test_an_event_that_cannot_be_recorded_undoes_the_change(world):
    hazard = world.make_hazard()

    def broken_record(**event):
        raise RuntimeError("the log is unavailable")

    with pytest.raises(RuntimeError), transaction.atomic():
        locked = lock_versioned(Hazard.objects.all(), hazard.pk, 1)
        transition(locked, Hazard.Action.ASSIGN, record=broken_record, actor=world.office)
    hazard.refresh_from_db()
    assert (hazard.status, hazard.version) == ("reported", 1)


def test_every_model_with_a_transition_table_uses_the_kit():
    with_table = [m for m in apps.get_models() if hasattr(m, "TRANSITIONS")]
    assert {m.__name__ for m in with_table} >= {"Hazard", "Inspection", "Opinion", "Period", "ImportJob"}
    for model in with_table:
        assert issubclass(model, TransitionsMixin), model
        assert hasattr(model, "Action"), model
        for action, (sources, target) in model.TRANSITIONS.items():
            assert action in model.Action.values, (model, action)
            assert target in model.Status.values and set(sources) <= set(model.Status.values), (model, action)
