"""Qualified means data and a score at the pass mark; a subject with no activity is "no data"."""

from datetime import date

import pytest
from django.test import override_settings

from worksafe.assessment.services import (
    indicator_add,
    manual_score_set,
    period_compute,
    period_create,
    subject_add,
)
from worksafe.orgs.models import Organization
from worksafe.testing import make_org

pytestmark = pytest.mark.frozen_at("2026-06-30 04:00:00+00:00")  # noon in Dalian, end of the half-year

URL = "/api/v1/assessment/periods"


def manual_period(world, **extra):
    """A period scored on one manual item of 100 points, so a score is exactly what is entered."""
    period = period_create(
        actor=world.office,
        name="2026年度考核",
        region="210200",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        default_indicators=False,
        **extra,
    )
    item = indicator_add(
        actor=world.office, period_id=period.pk, name="责任制落实", metric="manual", rule="manual", weight=100
    )
    return period, item


def computed(world, period, item, scores: dict) -> None:
    """Subjects for the regions given, each with its manual score (None: no score at all)."""
    for region, score in scores.items():
        subject = subject_add(actor=world.office, period_id=period.pk, kind="region", region=region)
        if score is not None:
            manual_score_set(
                actor=world.office,
                period_id=period.pk,
                subject_id=subject.pk,
                indicator_id=item.pk,
                score=score,
                evidence="材料",
            )
    period_compute(actor=world.office, period_id=period.pk)


def results_by_region(api, world, period) -> dict:
    body = api(world.office).get(f"{URL}/{period.pk}/results").json()
    return {r["subject"]["region"]: r for r in body["items"]}


@pytest.mark.parametrize(("score", "passed"), [("60.00", True), ("59.99", False)])
def test_the_pass_mark_boundary(world, api, frozen, score, passed):
    period, item = manual_period(world)
    computed(world, period, item, {"210202": score})
    result = results_by_region(api, world, period)["210202"]
    assert result["passed"] is passed and result["no_data"] is False


def test_a_subject_without_activity_is_no_data_and_never_qualified(world, api, frozen):
    period, item = manual_period(world, pass_mark=0)  # even a mark of 0 does not pass it
    computed(world, period, item, {"210202": "10", "210211": None})
    results = results_by_region(api, world, period)
    assert results["210211"]["no_data"] is True and results["210211"]["passed"] is False
    assert results["210202"]["passed"] is True
    assert results["210202"]["rank"] < results["210211"]["rank"]  # no data ranks last


def test_the_review_case_a_department_with_no_activity_is_not_first(world, api, frozen):
    # The default indicators give a subject with nothing at all 70 of 100 points.
    transport = make_org(
        kind=Organization.Kind.DEPARTMENT,
        name="大连市交通运输局",
        region="210200",
        industries=["road_transport"],
    )
    period = period_create(
        actor=world.office,
        name="2026",
        region="210200",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    subject_add(
        actor=world.office, period_id=period.pk, kind="department", region="210200", organization=transport.pk
    )
    world.make_hazard(actor=world.inspector)
    subject_add(
        actor=world.office,
        period_id=period.pk,
        kind="department",
        region="210200",
        organization=world.dept_em.pk,
    )
    period_compute(actor=world.office, period_id=period.pk)
    items = api(world.office).get(f"{URL}/{period.pk}/results").json()["items"]
    by_name = {r["subject"]["name"]: r for r in items}
    assert by_name["大连市交通运输局"]["no_data"] is True and by_name["大连市交通运输局"]["passed"] is False
    assert items[0]["subject"]["name"] == "大连市应急管理局"


@override_settings(WORKSAFE_ASSESSMENT_PASS_MARK=75)
def test_the_pass_mark_is_per_period_with_a_configured_default(world, api, frozen):
    office = api(world.office)
    body = {"name": "考核", "region": "210200", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}
    assert office.post(URL, body).json()["pass_mark"] == "75.00"
    assert office.post(URL, {**body, "pass_mark": "80"}).json()["pass_mark"] == "80.00"
    bad = office.post(URL, {**body, "pass_mark": "-1"})
    assert bad.status_code == 422 and "pass_mark" in bad.json()["errors"]


def test_the_page_shows_no_data_and_below_the_mark(world, client, frozen):
    period, item = manual_period(world)
    computed(world, period, item, {"210202": "34.50", "210211": None})
    client.force_login(world.office)
    html = client.get(f"/assessment/{period.pk}/").content.decode()
    assert "No data" in html and "Below the pass mark" in html and ">Passed<" not in html
