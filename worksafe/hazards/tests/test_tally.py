"""The maintained tally must equal a recount after every kind of write, and the counts read
from it must equal the plain aggregate over the register."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from worksafe.core.errors import NotFound
from worksafe.hazards import services
from worksafe.hazards.models import Hazard
from worksafe.hazards.selectors import (
    TALLY_ROLES,
    hazard_list,
    hazard_region_stats,
    hazard_stats,
    home_counts,
)
from worksafe.orgs.scope import sees_region
from worksafe.regions.models import in_subtree
from worksafe.scale.tests.test_generator import generate
from worksafe.testing import tally_matches_register


def walk(world, hazard, *actions):
    for action in actions:
        hazard.refresh_from_db()
        extra = {"responsible_person": "王五"} if action == "assign" else {}
        note = "理由" if action in ("reject", "cancel") else ""
        actor = world.officer_a if action == "submit" else world.office
        services.hazard_transition(
            actor=actor, hazard_id=hazard.pk, action=action, version=hazard.version, note=note, **extra
        )


def test_tally_follows_every_write(world):
    a = world.make_hazard()
    b = world.make_hazard(enterprise=world.enterprise_b, level="major")
    c = world.make_hazard(enterprise=world.enterprise_c, actor=world.office)
    assert tally_matches_register()
    walk(world, a, "assign", "submit", "reject", "submit", "accept")
    walk(world, c, "cancel")
    assert tally_matches_register()
    # Writes that bypass the services are counted too.
    Hazard.objects.filter(pk=b.pk).update(level="general")
    assert tally_matches_register()
    Hazard.objects.filter(pk=b.pk).update(escalation_step=2)  # not a tallied column
    assert tally_matches_register()
    Hazard.objects.filter(pk=c.pk).delete()
    assert tally_matches_register()


def test_stats_from_tally_equal_the_plain_aggregate(world):
    generate(hazards=600, enterprises=60)
    world.make_hazard()
    today = timezone.localdate()
    users = [
        world.admin,
        world.office,
        world.leader,
        world.office_gjz,
        world.inspector,
        world.inspector_zs,
        world.inspector_build,
        world.officer_a,
        world.expert,
        world.outsider,
    ]
    for user in users:
        for region, industry in [
            ("210000", None),
            ("210200", None),
            ("210202", None),
            ("210200", "construction"),
            ("210100", "industry_trade"),
            ("230100", None),
        ]:
            plain = hazard_list(visible_to=user).filter(in_subtree("region_id", region))
            if industry:
                plain = plain.filter(industry=industry)
            expected = hazard_stats(plain, today=today)
            if user.role != "admin" and user.role in TALLY_ROLES and not sees_region(user, region):
                with pytest.raises(NotFound):  # a region outside a region-wide role's area
                    hazard_region_stats(visible_to=user, region=region, industry=industry, today=today)
                continue
            assert (
                hazard_region_stats(visible_to=user, region=region, industry=industry, today=today)
                == expected
            )


def test_home_counts_from_tally_equal_the_plain_aggregate(world, django_assert_max_num_queries):
    from django.db.models import Count, Q

    from worksafe.hazards.models import overdue_q

    generate(hazards=600, enterprises=60)
    world.make_hazard(due_date=timezone.localdate() + timedelta(days=3))
    today = timezone.localdate()
    open_q = Q(status__in=Hazard.OPEN_STATUSES)
    for user in [world.admin, world.office, world.office_gjz, world.inspector, world.officer_a, world.expert]:
        expected = (
            hazard_list(visible_to=user)
            .order_by()
            .aggregate(
                open=Count("pk", filter=open_q),
                overdue=Count("pk", filter=overdue_q(today)),
                major=Count("pk", filter=open_q & Q(level="major")),
                due_this_week=Count(
                    "pk", filter=open_q & Q(due_date__gte=today, due_date__lte=today + timedelta(days=7))
                ),
                pending_acceptance=Count("pk", filter=Q(status="pending_acceptance")),
            )
        )
        with django_assert_max_num_queries(2):
            counts = home_counts(visible_to=user, today=today)
        assert counts == expected, user


def test_stats_endpoint_reads_the_tally(world, api, django_assert_max_num_queries):
    world.make_hazard()
    world.make_hazard(enterprise=world.enterprise_b, level="major")
    client = api(world.office)
    with django_assert_max_num_queries(6):
        r = client.get("/api/v1/stats/hazards", region="210200")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 2 and body["by_level"] == {"general": 1, "major": 1}
    assert body["by_status"]["reported"] == 2 and body["overdue"] == 0
    assert api(world.outsider).get("/api/v1/stats/hazards", region="210200").status_code == 404


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_tally_stays_exact_under_concurrent_transitions(world):
    """Writers in separate connections moving hazards between the same counters at once."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")
    hazards = [world.make_hazard(enterprise=world.enterprise_a) for _ in range(12)]
    errors = []

    def worker(chunk, actions):
        try:
            for hazard in chunk:
                walk(world, hazard, *actions)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(hazards[0:4], ["assign", "submit", "accept"])),
        threading.Thread(target=worker, args=(hazards[4:8], ["assign", "submit", "reject", "submit"])),
        threading.Thread(target=worker, args=(hazards[8:12], ["assign", "cancel"])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert tally_matches_register()
    statuses = sorted(Hazard.objects.values_list("status", flat=True))
    assert statuses == sorted(["closed"] * 4 + ["pending_acceptance"] * 4 + ["cancelled"] * 4)
