import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from worksafe.audit.models import Event
from worksafe.audit.services import verify_chain
from worksafe.hazards.models import Hazard, HazardCounter, HazardTally, overdue_q
from worksafe.orgs.models import Organization
from worksafe.orgs.uscc import problems
from worksafe.regions.models import Level, Region, level_of, subtree_prefix
from worksafe.scale.generator import SYNTHETIC
from worksafe.testing import tally_matches_register

ANCHOR = dt.date(2026, 6, 1)


def generate(seed: int = 7, hazards: int = 400, enterprises: int = 40, **extra):
    call_command(
        "generate_province",
        hazards=hazards,
        enterprises=enterprises,
        seed=seed,
        anchor=ANCHOR,
        chunk=150,  # several chunks even at this size
        verbosity=0,
        **extra,
    )


def fingerprint() -> tuple:
    hazards = list(
        Hazard.objects.order_by("id").values_list(
            "id",
            "number",
            "enterprise__uscc",
            "region_id",
            "industry",
            "title",
            "level",
            "source",
            "status",
            "due_date",
            "created_at",
            "closed_at",
            "version",
        )
    )
    enterprises = list(
        Organization.objects.filter(kind="enterprise")
        .order_by("id")
        .values_list("id", "name", "uscc", "region_id")
    )
    events = list(Event.objects.order_by("id").values_list("id", "hash"))
    return hazards, enterprises, events


@pytest.mark.django_db
def test_same_seed_gives_same_rows_and_another_seed_does_not():
    runs = []
    for seed in (7, 7, 8):
        with transaction.atomic():
            generate(seed=seed)
            runs.append(fingerprint())
            transaction.set_rollback(True)
    first, again, other = runs
    assert len(first[0]) == 400 and len(first[1]) == 40
    assert first == again
    assert first[0] != other[0]


@pytest.mark.django_db
def test_codes_are_valid_and_synthetic_ones_are_marked():
    generate()
    for uscc in Organization.objects.filter(kind="enterprise").values_list("uscc", flat=True):
        assert problems(uscc) == [], uscc
    synthetic = list(Region.objects.filter(edition=SYNTHETIC))
    assert synthetic, "the other cities get counties and streets"
    for region in synthetic:
        region.full_clean()  # parent is a prefix, the code has 6 or 9 digits
        assert region.level == level_of(region.code)
        assert region.code.startswith("21")
        assert region.code.startswith(subtree_prefix(region.parent_id))
        if region.level == Level.TOWNSHIP:
            # GB/T 10114: 001–099 streets, 100–199 towns, 200–399 townships (domain.md §7.2)
            assert 1 <= int(region.code[6:]) <= 399
        if region.level == Level.COUNTY:
            assert 1 <= int(region.code[4:]) <= 99
    # The real codes keep their names: Dalian's districts are shipped, never overwritten.
    assert Region.objects.get(code="210211").name == "甘井子区"
    assert not Region.objects.filter(code__in=["210000", "210200", "210211"], edition=SYNTHETIC).exists()
    # Every enterprise sits in a street of Liaoning; every hazard sits where its enterprise is.
    assert not Organization.objects.filter(kind="enterprise").exclude(region__level=Level.TOWNSHIP).exists()
    assert all(
        h.region_id == h.enterprise.region_id and h.industry == h.enterprise.industry
        for h in Hazard.objects.select_related("enterprise")
    )


@pytest.mark.django_db
def test_states_spread_like_a_real_register():
    generate(hazards=3000, enterprises=200)
    by_status = Counter(Hazard.objects.values_list("status", flat=True))
    assert set(by_status) == set(Hazard.Status.values)
    assert by_status["closed"] > 0.6 * 3000
    major = Hazard.objects.filter(level="major").count()
    assert 0.01 * 3000 <= major <= 0.06 * 3000
    overdue = Hazard.objects.filter(overdue_q(ANCHOR)).count()
    assert 0 < overdue < 0.2 * 3000
    assert not Hazard.objects.filter(created_at__date__gt=ANCHOR).exists()
    closed = Hazard.objects.filter(status="closed")
    assert not closed.filter(closed_at__isnull=True).exists()
    assert all(h.closed_at >= h.created_at for h in closed)
    # Major hazards past "reported" carry the five implementations.
    assert all(h.plan_complete for h in Hazard.objects.filter(level="major").exclude(status="reported"))
    # Skewed: the busiest enterprise has many more hazards than the median one.
    per_enterprise = sorted(Counter(Hazard.objects.values_list("enterprise_id", flat=True)).values())
    assert per_enterprise[-1] > 5 * per_enterprise[len(per_enterprise) // 2]


@pytest.mark.django_db
def test_audit_chain_stays_valid_and_numbers_continue(world):
    hazard_before = world.make_hazard()  # an event already in the chain
    generate()
    assert verify_chain() is None
    call_command("verify_audit", verbosity=0)
    assert Event.objects.filter(action="create", data__synthetic=True).count() == 400
    # A hazard registered afterwards continues the chain and gets a fresh number.
    after = world.make_hazard()
    assert verify_chain() is None
    assert after.number != hazard_before.number
    counter = HazardCounter.objects.get(region_id=after.region_id, year=after.created_at.year)
    assert after.number.endswith(f"{counter.last:06d}")
    generate(seed=9)  # a second run on top of the first keeps everything consistent
    assert verify_chain() is None
    assert Hazard.objects.values("number").distinct().count() == Hazard.objects.count()


@pytest.mark.django_db
def test_without_events_the_chain_is_untouched():
    generate(no_events=True)
    assert Event.objects.count() == 0
    assert verify_chain() is None
    assert Hazard.objects.count() == 400


@pytest.mark.django_db
def test_generated_tally_matches_the_register():
    generate()
    assert tally_matches_register()
    assert sum(HazardTally.objects.values_list("n", flat=True)) == 400


@pytest.mark.django_db
def test_bad_sizes_are_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("generate_province", hazards=-1, verbosity=0)
    assert connection.vendor in ("sqlite", "postgresql")
