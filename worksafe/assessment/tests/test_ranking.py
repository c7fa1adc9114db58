"""How results are ranked and recomputed: equal scores share a rank, the one-vote veto puts a
subject after every unvetoed one whatever its score, a manual score never exceeds its
indicator's weight, and a reopened assessment is computed afresh."""

from datetime import datetime
from decimal import Decimal

import pytest

from worksafe.accidents.services import accident_create
from worksafe.assessment.models import ManualScore, Result
from worksafe.assessment.services import indicator_update, manual_score_set, period_compute
from worksafe.audit.models import Event

from .test_pass_mark import URL, computed, manual_period, results_by_region

pytestmark = pytest.mark.frozen_at("2026-06-30 04:00:00+00:00")


def larger_accident(world, region: str):
    """Three deaths: a larger accident, which the default veto grades count (domain.md §4)."""
    return accident_create(
        actor=world.admin,
        occurred_at=datetime.fromisoformat("2026-05-01T10:00:00+08:00"),
        region=region,
        industry="hazardous_chemicals",
        deaths=3,
        serious_injuries=0,
        direct_economic_loss=Decimal("100000"),
    )


def ranks(api, world, period) -> dict:
    return {region: r["rank"] for region, r in results_by_region(api, world, period).items()}


def test_equal_scores_share_a_rank_and_the_next_rank_skips(world, api, frozen):
    period, item = manual_period(world)
    computed(world, period, item, {"210202": "80", "210203": "80", "210204": "70", "210211": "95"})
    assert ranks(api, world, period) == {"210211": 1, "210202": 2, "210203": 2, "210204": 4}


def test_a_vetoed_subject_ranks_after_every_unvetoed_one_and_never_ties_with_it(world, api, frozen):
    larger_accident(world, "210203")
    larger_accident(world, "210204")
    period, item = manual_period(world)
    computed(
        world,
        period,
        item,
        {"210202": "50", "210203": "90", "210204": "95", "210211": "90", "210212": None},
    )
    results = results_by_region(api, world, period)
    assert {region: (r["rank"], r["vetoed"]) for region, r in results.items()} == {
        "210211": (1, False),  # 90, the same score as vetoed 210203, yet alone at the top
        "210202": (2, False),
        "210204": (3, True),  # the vetoed among themselves by score
        "210203": (4, True),
        "210212": (5, False),  # no data comes last of all
    }
    assert results["210212"]["no_data"] is True
    assert not any(results[region]["passed"] for region in ("210203", "210204"))


def test_vetoed_subjects_with_equal_scores_share_a_rank(world, api, frozen):
    larger_accident(world, "210203")
    larger_accident(world, "210204")
    period, item = manual_period(world)
    computed(world, period, item, {"210202": "10", "210203": "70", "210204": "70"})
    assert ranks(api, world, period) == {"210202": 1, "210203": 2, "210204": 2}


def test_a_manual_score_above_the_weight_or_below_zero_is_refused_and_nothing_stored(world, api, frozen):
    period, item = manual_period(world)
    computed(world, period, item, {"210202": None})
    subject = period.subjects.get()
    office = api(world.office)
    for score in ("100.01", "-1"):
        body = {"subject": subject.pk, "indicator": item.pk, "score": score, "evidence": "材料"}
        r = office.post(f"{URL}/{period.pk}/manual-scores", body)
        assert r.status_code == 422 and list(r.json()["errors"]) == ["score"], (score, r.content)
    assert not ManualScore.objects.exists()
    body = {"subject": subject.pk, "indicator": item.pk, "score": "100", "evidence": "材料"}
    assert office.post(f"{URL}/{period.pk}/manual-scores", body).status_code == 200  # the weight itself


def test_a_lowered_weight_caps_the_manual_score_already_entered(world, api, frozen):
    period, item = manual_period(world)
    computed(world, period, item, {"210202": "90"})
    indicator_update(actor=world.office, period_id=period.pk, indicator_id=item.pk, weight="40")
    period_compute(actor=world.office, period_id=period.pk)
    result = results_by_region(api, world, period)["210202"]
    assert result["score"] == "40.00" and result["passed"] is False
    assert ManualScore.objects.get().score == Decimal("90.00")  # what was entered stays on record


def test_reopen_then_recompute_replaces_the_results(world, api, frozen):
    period, item = manual_period(world)
    computed(world, period, item, {"210202": "90", "210211": "70"})
    office = api(world.office)
    version = office.get(f"{URL}/{period.pk}").json()["version"]
    r = office.post(f"{URL}/{period.pk}/transition", {"action": "publish", "version": version})
    assert r.status_code == 200, r.content

    # Published: neither scores nor results change until it is reopened.
    gjz = period.subjects.get(region_id="210211")
    body = {"subject": gjz.pk, "indicator": item.pk, "score": "99", "evidence": "补充材料"}
    r = office.post(f"{URL}/{period.pk}/manual-scores", body)
    assert r.status_code == 422 and "status" in r.json()["errors"]
    assert office.post(f"{URL}/{period.pk}/compute", {}).status_code == 422
    stale = office.post(f"{URL}/{period.pk}/transition", {"action": "reopen", "version": version})
    assert stale.status_code == 409

    r = office.post(f"{URL}/{period.pk}/transition", {"action": "reopen", "version": version + 1})
    assert r.status_code == 200 and r.json()["status"] == "draft"
    manual_score_set(
        actor=world.office,
        period_id=period.pk,
        subject_id=gjz.pk,
        indicator_id=item.pk,
        score="99",
        evidence="补充材料",
    )
    r = office.post(f"{URL}/{period.pk}/compute", {})
    assert r.status_code == 200, r.content
    results = results_by_region(api, world, period)
    assert {region: (r["rank"], r["score"]) for region, r in results.items()} == {
        "210211": (1, "99.00"),
        "210202": (2, "90.00"),
    }
    assert Result.objects.filter(subject__period=period).count() == 2  # replaced, not added
    actions = list(
        Event.objects.filter(subject_type="assessment_period", subject_id=str(period.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert [a for a in actions if a in ("compute", "publish", "reopen")] == [
        "compute",
        "publish",
        "reopen",
        "compute",
    ]
