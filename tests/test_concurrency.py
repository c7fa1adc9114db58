"""Races on PostgreSQL, with real threads and one connection each: optimistic versions let
exactly one writer win, the escalation sweep loses no user update, hazard numbers stay unique."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from worksafe.audit.models import Event
from worksafe.audit.services import verify_chain
from worksafe.core.errors import StaleVersion
from worksafe.hazards.models import Hazard
from worksafe.hazards.services import escalation_sweep, hazard_create, hazard_plan, hazard_transition

pytestmark = [
    pytest.mark.postgres_only,
    # Threads need committed data; the rollback restores the reference data migrations load.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrency is proven on PostgreSQL (SQLite serialises every writer); set DATABASE_URL.",
    ),
]

THREADS = 8


def run_together(target, count=THREADS):
    """Runs target(i) in `count` threads released at the same moment; returns results in order."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(i):
        try:
            barrier.wait()
            results[i] = target(i)
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_same_version_exactly_one_wins(world):
    hazard = world.make_hazard()
    results = run_together(
        lambda i: hazard_transition(
            actor=world.inspector,
            hazard_id=hazard.pk,
            action="assign",
            version=1,
            responsible_person=f"worker {i}",
            due_date=timezone.localdate() + timedelta(days=5),
        )
    )
    winners = [r for r in results if isinstance(r, Hazard)]
    losers = [r for r in results if isinstance(r, StaleVersion)]
    assert len(winners) == 1, results
    assert len(losers) == THREADS - 1, results
    hazard.refresh_from_db()
    assert hazard.version == 2 and hazard.status == "rectifying"
    assert hazard.responsible_person == winners[0].responsible_person
    assert (
        Event.objects.filter(subject_type="hazard", subject_id=str(hazard.pk), action="assign").count() == 1
    )
    assert verify_chain() is None


def test_stale_version_through_the_api_answers_409(world, live_server):
    import json
    import urllib.error
    import urllib.request

    from worksafe.testing import bearer

    hazard = world.make_hazard()
    token = bearer(world.inspector)

    def post(i):
        body = json.dumps(
            {"action": "assign", "version": 1, "responsible_person": f"p{i}", "note": ""}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - the loopback live server
            f"{live_server.url}/api/v1/hazards/{hazard.pk}/transition",
            data=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    statuses = run_together(post, count=6)
    assert sorted(statuses) == [200, 409, 409, 409, 409, 409], statuses


def test_escalation_sweep_loses_no_user_update(world):
    today = timezone.localdate()
    hazards = [world.make_hazard() for _ in range(12)]
    Hazard.objects.filter(pk__in=[h.pk for h in hazards]).update(due_date=today - timedelta(days=2))

    def act(i):
        if i == 0:
            return escalation_sweep(today=today)
        moved = []
        for hazard in hazards[(i - 1) :: THREADS - 1]:
            hazard_plan(
                actor=world.inspector, hazard_id=hazard.pk, version=1, measures=f"measure {hazard.pk}"
            )
            moved.append(hazard.pk)
        return moved

    results = run_together(act)
    assert not [r for r in results if isinstance(r, Exception)], results
    for hazard in Hazard.objects.filter(pk__in=[h.pk for h in hazards]):
        assert hazard.plan_measures == f"measure {hazard.pk}"  # the user's write survived
        assert hazard.version == 2
    # The sweep may skip a row a user held locked (it comes back the next run); none is lost.
    escalation_sweep(today=today)
    assert set(
        Hazard.objects.filter(pk__in=[h.pk for h in hazards]).values_list("escalation_step", flat=True)
    ) == {1}
    for hazard in hazards:
        steps = Event.objects.filter(
            subject_type="hazard", subject_id=str(hazard.pk), action="reminder"
        ).count()
        assert steps == 1
    assert verify_chain() is None


def test_hazard_numbers_unique_under_concurrent_creation(world):
    def create(i):
        return [
            hazard_create(
                actor=world.office,
                enterprise=world.enterprise_a.pk,
                title=f"并发 {i}-{n}",
                level="general",
                source="inspection",
                due_date=timezone.localdate() + timedelta(days=3),
            ).number
            for n in range(3)
        ]

    results = run_together(create)
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = [number for batch in results for number in batch]
    assert len(numbers) == THREADS * 3
    assert len(set(numbers)) == len(numbers)
    sequences = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert sequences == list(range(1, THREADS * 3 + 1))  # gapless too
    assert verify_chain() is None
