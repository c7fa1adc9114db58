from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from openpyxl import load_workbook

from worksafe.accidents.services import accident_create
from worksafe.assessment.models import Indicator
from worksafe.assessment.services import indicator_score
from worksafe.regions.models import ancestor_codes

pytestmark = pytest.mark.frozen_at("2026-06-30 04:00:00+00:00")  # noon in Dalian, end of the half-year

URL = "/api/v1/assessment/periods"


def accident(world, *, region, deaths, occurred="2026-05-01T10:00:00+08:00", loss="100000"):
    return accident_create(
        actor=world.admin,
        occurred_at=datetime.fromisoformat(occurred),
        region=region,
        industry="hazardous_chemicals",
        deaths=deaths,
        serious_injuries=0,
        direct_economic_loss=Decimal(loss),
    )


def setup_period(api, world, **extra):
    office = api(world.office)
    r = office.post(
        URL,
        {
            "name": "2026年度安全生产目标责任考核",
            "region": "210200",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            **extra,
        },
    )
    assert r.status_code == 201, r.content
    period = r.json()
    for code in ("210202", "210211"):
        assert (
            office.post(f"{URL}/{period['id']}/subjects", {"kind": "region", "region": code}).status_code
            == 201
        )
    r = office.post(
        f"{URL}/{period['id']}/subjects",
        {"kind": "department", "region": "210200", "organization": world.dept_em.pk},
    )
    assert r.status_code == 201, r.content
    return office.get(f"{URL}/{period['id']}").json()


def test_indicator_scoring_rules():
    def ind(rule, weight, penalty=0):
        return Indicator(rule=rule, weight=Decimal(weight), penalty=Decimal(penalty))

    assert indicator_score(ind("rate_higher_better", 30), 0.5, None) == Decimal("15.00")
    assert indicator_score(ind("rate_lower_better", 20), 0.25, None) == Decimal("15.00")
    assert indicator_score(ind("count_penalty", 20, 5), 3, None) == Decimal("5.00")
    assert indicator_score(ind("count_penalty", 20, 5), 9, None) == Decimal("0.00")
    assert indicator_score(ind("manual", 10), None, Decimal("8.5")) == Decimal("8.50")
    assert indicator_score(ind("manual", 10), None, None) == Decimal("0.00")
    assert indicator_score(ind("count_reward", 10, 2), 3, None) == Decimal("6.00")
    assert indicator_score(ind("count_reward", 10, 2), 30, None) == Decimal("10.00")


def test_ancestors():
    assert ancestor_codes("210211") == ["210211", "210200", "210000"]
    assert ancestor_codes("420115001") == ["420115001", "420115", "420100", "420000"]
    assert ancestor_codes("210000") == ["210000"]
    assert ancestor_codes("429004") == ["429004", "420000"]  # a county-level unit under the province


def test_veto_fails_subject_whatever_score_and_names_accident(
    world, api, frozen, django_assert_max_num_queries
):
    period = setup_period(api, world)
    larger = accident(world, region="210211", deaths=0, loss="10000000")  # larger by its loss
    accident(world, region="210202", deaths=1)
    accident(world, region="210211", deaths=5, occurred="2025-12-31T23:00:00+08:00")  # before the period
    office = api(world.office)
    manual = next(i for i in period["indicators"] if i["metric"] == "manual")
    gjz = next(s for s in period["subjects"] if s["region"] == "210211")
    r = office.post(
        f"{URL}/{period['id']}/manual-scores",
        {"subject": gjz["id"], "indicator": manual["id"], "score": "10", "evidence": "责任书签订率100%"},
    )
    assert r.status_code == 200, r.content
    r = office.post(f"{URL}/{period['id']}/compute", {})
    assert r.status_code == 200, r.content
    with django_assert_max_num_queries(4):
        items = office.get(f"{URL}/{period['id']}/results").json()["items"]
    by_region = {(i["subject"]["kind"], i["subject"]["region"]): i for i in items}
    gjz_result = by_region[("region", "210211")]
    zs_result = by_region[("region", "210202")]
    assert gjz_result["vetoed"] is True and gjz_result["passed"] is False
    assert gjz_result["veto_accident"] == larger.pk
    assert f"#{larger.pk}" in gjz_result["veto_reason"]
    assert Decimal(gjz_result["score"]) > Decimal(zs_result["score"])  # a better score, still failed
    # vetoed subjects rank after every passing one
    assert [(i["rank"], i["vetoed"]) for i in items] == [(1, False), (2, True), (3, True)]
    assert items[0]["subject"]["region"] == "210202"
    # the city's emergency department supervises chemicals city-wide: the larger accident vetoes it too
    assert by_region[("department", "210200")]["vetoed"] is True
    zs_deaths = next(b for b in zs_result["breakdown"] if b["metric"] == "deaths")
    assert zs_deaths["value"] == 1 and zs_deaths["score"] == "10.00"  # 15 − 5 × 1


def test_veto_is_configurable(world, api, frozen):
    period = setup_period(api, world, veto_grades=["serious", "particularly_serious"])
    accident(world, region="210211", deaths=3)
    items = api(world.office).post(f"{URL}/{period['id']}/compute", {}).json()["items"]
    assert not any(i["vetoed"] for i in items)


def test_hazard_rates_from_register(world, api, frozen):
    period = setup_period(api, world)
    with time_machine.travel(datetime(2026, 2, 1, 2, 0, tzinfo=UTC), tick=False):
        world.make_hazard(due_date=date(2026, 2, 10))  # open and overdue by June
        world.make_hazard(enterprise=world.enterprise_a, due_date=date(2026, 12, 1))  # open, not overdue
    items = api(world.office).post(f"{URL}/{period['id']}/compute", {}).json()["items"]
    zs = next(i for i in items if i["subject"]["region"] == "210202")
    rates = {b["metric"]: b for b in zs["breakdown"]}
    assert rates["hazard_closure_rate"]["value"] == 0
    assert rates["hazard_overdue_rate"]["value"] == 0.5
    assert rates["hazard_overdue_rate"]["score"] == "7.50"  # 15 × (1 − 0.5)


def test_publish_export_and_visibility(world, api, frozen):
    period = setup_period(api, world)
    office = api(world.office)
    url = f"{URL}/{period['id']}"
    r = office.post(f"{url}/transition", {"action": "publish", "version": period["version"]})
    assert r.status_code == 422  # not computed yet
    assert api(world.office_gjz).get(url).status_code == 404  # drafts stay with the assessor
    office.post(f"{url}/compute", {})
    version = office.get(url).json()["version"]
    assert office.post(f"{url}/transition", {"action": "publish", "version": version - 1}).status_code == 409
    r = office.post(f"{url}/transition", {"action": "publish", "version": version})
    assert r.status_code == 200 and r.json()["status"] == "published"
    assert api(world.office_gjz).get(f"{url}/results").status_code == 200
    assert api(world.inspector_zs).get(url).status_code == 200
    assert api(world.outsider).get(url).status_code == 404
    assert api(world.officer_a).get(url).status_code == 404
    r = api(world.office_gjz).post(f"{url}/compute", {})
    assert r.status_code == 403
    assert office.post(f"{url}/compute", {}).status_code == 422  # published: reopen first
    r = office.get(f"{url}/results.xlsx")
    assert r.status_code == 200
    sheet = load_workbook(BytesIO(r.content)).active
    assert sheet.max_row == 2 + 3
    assert sheet.cell(row=3, column=1).value == 1


def test_period_validation_and_roles(world, api, frozen):
    office = api(world.office)
    base = {"name": "x", "region": "210200", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}
    assert api(world.leader).post(URL, base).status_code == 403
    assert api(world.inspector).post(URL, base).status_code == 403
    r = office.post(URL, {**base, "region": "230100"})
    assert r.status_code == 422 and "region" in r.json()["errors"]
    r = office.post(URL, {**base, "ends_on": "2025-01-01"})
    assert r.status_code == 422 and "ends_on" in r.json()["errors"]
    r = office.post(URL, {**base, "veto_grades": ["terrible"]})
    assert r.status_code == 422 and "veto_grades.0" in r.json()["errors"]
    period = office.post(URL, base).json()
    url = f"{URL}/{period['id']}"
    r = office.post(f"{url}/subjects", {"kind": "region", "region": "230100"})
    assert r.status_code == 422 and "region" in r.json()["errors"]
    r = office.post(
        f"{url}/subjects", {"kind": "department", "region": "210200", "organization": world.harbin.pk}
    )
    assert r.status_code == 422 and "organization" in r.json()["errors"]
    office.post(f"{url}/subjects", {"kind": "region", "region": "210202"})
    r = office.post(f"{url}/subjects", {"kind": "region", "region": "210202"})
    assert r.status_code == 422 and "region" in r.json()["errors"]
    r = office.post(
        f"{url}/indicators", {"name": "x", "metric": "accidents", "rule": "manual", "weight": "5"}
    )
    assert r.status_code == 422 and "rule" in r.json()["errors"]
    r = office.post(
        f"{url}/indicators", {"name": "专项整治", "metric": "manual", "rule": "manual", "weight": "5"}
    )
    assert r.status_code == 201
    subject = office.get(url).json()["subjects"][0]
    r = office.post(
        f"{url}/manual-scores",
        {"subject": subject["id"], "indicator": r.json()["id"], "score": "6", "evidence": "x"},
    )
    assert r.status_code == 422 and "score" in r.json()["errors"]  # above the weight
    assert api(world.outsider).get(url).status_code == 404
    assert api(world.outsider).post(f"{url}/compute", {}).status_code == 404


def test_inspections_and_enforcement_count(world, api, frozen):
    from worksafe.inspections.services import (
        enforcement_create,
        inspection_create,
        inspection_finish,
        inspection_start,
    )

    period = setup_period(api, world)
    with time_machine.travel(datetime(2026, 3, 2, 2, 0, tzinfo=UTC), tick=False):
        inspection = inspection_create(
            actor=world.inspector, target=world.enterprise_a.pk, kind="routine", planned_on=date(2026, 3, 2)
        )
        inspection_start(actor=world.inspector, inspection_id=inspection.pk, version=inspection.version)
        inspection_finish(actor=world.inspector, inspection_id=inspection.pk, allow_unanswered=True)
        enforcement_create(
            actor=world.inspector,
            target=world.enterprise_a.pk,
            kind="order_rectify",
            legal_basis="《安全生产法》第一百零二条",
            deadline=date(2026, 3, 20),
        )
    items = api(world.office).post(f"{URL}/{period['id']}/compute", {}).json()["items"]
    by_subject = {(i["subject"]["kind"], i["subject"]["region"]): i for i in items}
    zs = {b["metric"]: b for b in by_subject[("region", "210202")]["breakdown"]}
    assert (zs["inspections"]["value"], zs["inspections"]["score"]) == (1, "1.00")
    assert (zs["enforcement"]["value"], zs["enforcement"]["score"]) == (1, "2.00")
    gjz = {b["metric"]: b for b in by_subject[("region", "210211")]["breakdown"]}
    assert gjz["inspections"]["value"] == 0 and gjz["enforcement"]["value"] == 0
    department = {b["metric"]: b for b in by_subject[("department", "210200")]["breakdown"]}
    assert department["inspections"]["value"] == 1  # organized by the city's emergency department


def test_indicator_weights_are_changed_while_draft(world, api, frozen):
    period = setup_period(api, world)
    office = api(world.office)
    indicator = period["indicators"][0]
    url = f"{URL}/{period['id']}/indicators/{indicator['id']}"
    r = office.patch(url, {"weight": "30", "penalty": "2"})
    assert r.status_code == 200 and (r.json()["weight"], r.json()["penalty"]) == ("30.00", "2.00")
    assert office.patch(url, {"weight": "0"}).status_code == 422
    assert office.patch(f"{URL}/{period['id']}/indicators/987654", {"weight": "3"}).status_code == 404
    assert api(world.leader).patch(url, {"weight": "3"}).status_code == 403
    office.post(f"{URL}/{period['id']}/compute", {})
    version = office.get(f"{URL}/{period['id']}").json()["version"]
    office.post(f"{URL}/{period['id']}/transition", {"action": "publish", "version": version})
    r = office.patch(url, {"weight": "10"})
    assert r.status_code == 422 and "status" in r.json()["errors"]
    assert Indicator.objects.get(pk=indicator["id"]).weight == Decimal("30")
