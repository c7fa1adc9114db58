from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from worksafe.accidents.models import Accident, GradeChange, ReportDuty
from worksafe.audit.models import Event

URL = "/api/v1/accidents"
NOW = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)  # 12:00 in Dalian


def payload(**overrides):
    data = {
        "occurred_at": "2026-03-10T09:30:00+08:00",
        "region": "210202",
        "industry": "hazardous_chemicals",
        "deaths": 1,
        "serious_injuries": 2,
        "direct_economic_loss": "1250000.00",
    }
    data.update(overrides)
    return data


def create(api, user, **overrides):
    r = api(user).post(URL, payload(**overrides))
    assert r.status_code == 201, r.content
    return r.json()


def test_office_reports_and_gets_general_grade(world, api, frozen):
    body = create(api, world.office, enterprise=world.enterprise_a.pk)
    assert body["grade"] == "general"
    assert body["missing"] == 0
    assert body["direct_economic_loss"] == "1250000.00"
    assert body["enterprise"] == world.enterprise_a.pk
    accident = Accident.objects.get(pk=body["id"])
    assert accident.grade_changes.count() == 1
    assert accident.investigation.lead_level == "county"
    assert sorted(t.kind for t in accident.investigation.tracks.all()) == [
        "enterprise",
        "local_government",
        "regulators",
    ]
    assert Event.objects.for_subject("accident", accident.pk).first().action == "create"


def test_reports_owed_for_general_accident_with_deadlines(world, api, frozen):
    body = create(api, world.office)
    duties = api(world.office).get(f"{URL}/{body['id']}/reports").json()["items"]
    assert [(d["from_level"], d["to_level"]) for d in duties] == [("unit", "county"), ("county", "city")]
    occurred = datetime(2026, 3, 10, 1, 30, tzinfo=UTC)
    assert datetime.fromisoformat(duties[0]["due_at"]) == occurred + timedelta(hours=1)
    assert datetime.fromisoformat(duties[1]["due_at"]) == occurred + timedelta(hours=3)
    assert duties[0]["status"] == "missing"  # 12:00 is past 10:30: 漏报 until recorded


def test_larger_and_serious_accidents_go_further_up(world, api, frozen):
    larger = create(api, world.office, deaths=3)
    serious = create(api, world.office, serious_injuries=50)
    office = api(world.office)
    assert office.get(f"{URL}/{larger['id']}/reports").json()["items"][-1]["to_level"] == "province"
    assert office.get(f"{URL}/{serious['id']}/reports").json()["items"][-1]["to_level"] == "state_council"
    assert office.get(f"{URL}/{serious['id']}/investigation").json()["lead_level"] == "province"


@pytest.mark.parametrize(
    "occurred",
    ["2026-03-09T23:30:00+08:00", "2026-03-09T15:30:00Z", "2026-03-09T10:30:00-05:00", "2026-03-09T23:30:00"],
)
def test_deadline_across_midnight_with_offsets(world, api, occurred):
    with time_machine.travel(datetime(2026, 3, 9, 15, 40, tzinfo=UTC), tick=False):
        body = create(api, world.office, occurred_at=occurred)
        duties = api(world.office).get(f"{URL}/{body['id']}/reports").json()["items"]
    # 23:30 local on the 9th + 1 hour = 00:30 local on the 10th.
    assert datetime.fromisoformat(duties[0]["due_at"]) == datetime(2026, 3, 9, 16, 30, tzinfo=UTC)
    assert duties[0]["status"] == "pending"
    assert datetime.fromisoformat(body["occurred_at"]) == datetime(2026, 3, 9, 15, 30, tzinfo=UTC)


def test_recording_reports_late_and_on_time_moves_next_clock(world, api, frozen):
    body = create(api, world.office, occurred_at="2026-03-10T07:00:00+08:00")
    office = api(world.office)
    duties = office.get(f"{URL}/{body['id']}/reports").json()["items"]
    unit, county = duties
    r = api(world.officer_a).post(f"{URL}/{body['id']}/reports/{unit['id']}/made", {})
    assert r.status_code == 404  # no enterprise on this accident: not officer_a's
    r = office.post(
        f"{URL}/{body['id']}/reports/{unit['id']}/made", {"reported_at": "2026-03-10T07:30:00+08:00"}
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "on_time"
    county_after = office.get(f"{URL}/{body['id']}/reports").json()["items"][1]
    # the county's 2 hours run from the unit's actual report
    assert datetime.fromisoformat(county_after["due_at"]) == datetime(2026, 3, 10, 1, 30, tzinfo=UTC)
    r = office.post(
        f"{URL}/{body['id']}/reports/{county['id']}/made", {"reported_at": "2026-03-10T11:00:00+08:00"}
    )
    assert r.json()["status"] == "late"
    again = office.post(f"{URL}/{body['id']}/reports/{county['id']}/made", {})
    assert again.status_code == 422
    assert "reported_at" in again.json()["errors"]


def test_concealment_recorded_by_supervisor_only(world, api, frozen):
    body = create(api, world.office, enterprise=world.enterprise_a.pk)
    duty = api(world.office).get(f"{URL}/{body['id']}/reports").json()["items"][0]
    url = f"{URL}/{body['id']}/reports/{duty['id']}/flag"
    r = api(world.officer_a).post(url, {"irregularity": "concealed", "note": "隐瞒死亡人数"})
    assert r.status_code == 403
    r = api(world.office).post(url, {"irregularity": "concealed", "note": ""})
    assert r.status_code == 422 and "note" in r.json()["errors"]
    r = api(world.office).post(url, {"irregularity": "concealed", "note": "隐瞒死亡人数"})
    assert r.status_code == 200 and r.json()["irregularity"] == "concealed"
    r = api(world.office).post(url, {"irregularity": "bogus", "note": "x"})
    assert r.status_code == 422


def test_regrade_keeps_history_and_creates_supplementary_duty(world, api, frozen):
    body = create(api, world.office)
    office = api(world.office)
    r = office.patch(f"{URL}/{body['id']}", {"version": 1, "deaths": 3, "note": "伤者抢救无效死亡"})
    assert r.status_code == 200, r.content
    assert r.json()["grade"] == "larger"
    history = office.get(f"{URL}/{body['id']}/grade-history").json()["items"]
    assert [(h["from_grade"], h["to_grade"]) for h in history] == [("", "general"), ("general", "larger")]
    duties = office.get(f"{URL}/{body['id']}/reports").json()["items"]
    kinds = [(d["kind"], d["to_level"]) for d in duties]
    assert ("supplementary", "county") in kinds
    assert ("initial", "province") in kinds  # the upgrade owes the province a report now
    investigation = office.get(f"{URL}/{body['id']}/investigation").json()
    assert investigation["lead_level"] == "city"
    actions = [e["action"] for e in office.get(f"{URL}/{body['id']}/events").json()["items"]]
    assert actions[:4] == ["create", "update", "regrade", "investigation_level"]
    # and back down when a missing person is found / a figure is corrected
    r = office.patch(f"{URL}/{body['id']}", {"version": 2, "deaths": 2})
    assert r.json()["grade"] == "general"
    assert GradeChange.objects.filter(accident_id=body["id"]).count() == 3


def test_missing_counts_with_deaths_on_update(world, api, frozen):
    body = create(api, world.office, deaths=2)
    r = api(world.office).patch(f"{URL}/{body['id']}", {"version": 1, "missing": 1})
    assert r.json()["grade"] == "larger"


def test_loss_change_only_regrades_without_supplementary_duty(world, api, frozen):
    body = create(api, world.office)
    r = api(world.office).patch(f"{URL}/{body['id']}", {"version": 1, "direct_economic_loss": "10000000.00"})
    assert r.json()["grade"] == "larger"
    assert not ReportDuty.objects.filter(accident_id=body["id"], kind="supplementary").exists()


@pytest.mark.parametrize(
    ("industry", "days", "inside"),
    [
        ("hazardous_chemicals", 30, True),
        ("hazardous_chemicals", 31, False),
        ("road_transport", 7, True),
        ("road_transport", 8, False),
        ("fire_safety", 7, True),
        ("fire_safety", 8, False),
    ],
)
def test_supplementary_window(world, api, industry, days, inside):
    # Occurred 23:30 on 1 March in Dalian (15:30 UTC); the window counts days from the 2nd.
    with time_machine.travel(datetime(2026, 3, 1, 16, 0, tzinfo=UTC), tick=False):
        user = world.admin
        body = create(api, user, industry=industry, occurred_at="2026-03-01T15:30:00Z")
    # 23:59 local on the last day is inside; 00:01 local the next day is outside.
    last_day_late = datetime(2026, 3, 1, 15, 59, tzinfo=UTC) + timedelta(days=days)
    with time_machine.travel(last_day_late, tick=False):
        r = api(user).patch(f"{URL}/{body['id']}", {"version": 1, "serious_injuries": 5})
        assert r.status_code == 200
    exists = ReportDuty.objects.filter(accident_id=body["id"], kind="supplementary").exists()
    assert exists is inside


def test_supplementary_window_edge_after_midnight(world, api):
    with time_machine.travel(datetime(2026, 3, 1, 16, 0, tzinfo=UTC), tick=False):
        body = create(api, world.admin, occurred_at="2026-03-01T23:30:00+08:00")
    # 00:01 on 1 April local = 16:01 UTC on 31 March: day 31, outside the 30-day window.
    with time_machine.travel(datetime(2026, 3, 31, 16, 1, tzinfo=UTC), tick=False):
        api(world.admin).patch(f"{URL}/{body['id']}", {"version": 1, "deaths": 2})
    assert not ReportDuty.objects.filter(accident_id=body["id"], kind="supplementary").exists()


def test_stale_version_changes_nothing(world, api, frozen):
    body = create(api, world.office)
    office = api(world.office)
    office.patch(f"{URL}/{body['id']}", {"version": 1, "deaths": 2})
    r = office.patch(f"{URL}/{body['id']}", {"version": 1, "deaths": 5})
    assert r.status_code == 409
    assert "version" in r.json()["errors"]
    assert Accident.objects.get(pk=body["id"]).deaths == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("deaths", -1),
        ("deaths", "many"),
        ("direct_economic_loss", "abc"),
        ("direct_economic_loss", "-5"),
        ("direct_economic_loss", "1e30"),
        ("direct_economic_loss", "1.234"),
        ("region", "999999"),
        ("region", "abc"),
        ("industry", "bakery"),
        ("occurred_at", "yesterday"),
        ("occurred_at", "2030-01-01T00:00:00+08:00"),
        ("enterprise", 987654),
        ("missing", -3),
    ],
)
def test_bad_input_is_422_naming_the_field(world, api, frozen, field, value):
    r = api(world.office).post(URL, payload(**{field: value}))
    assert r.status_code == 422, r.content
    assert field in r.json()["errors"]


@pytest.mark.parametrize(
    "field", ["occurred_at", "region", "industry", "deaths", "serious_injuries", "direct_economic_loss"]
)
def test_required_fields(world, api, frozen, field):
    data = payload()
    del data[field]
    r = api(world.office).post(URL, data)
    assert r.status_code == 422
    assert field in r.json()["errors"]


def test_malformed_json_is_not_500(world, api):
    r = api(world.office).post(URL, "{not json")
    assert r.status_code in (400, 422)


def test_who_may_report(world, api, frozen):
    assert api(world.leader).post(URL, payload()).status_code == 403
    assert api(world.expert).post(URL, payload()).status_code == 403
    # inspector: in its region and industries only
    assert api(world.inspector).post(URL, payload()).status_code == 201
    r = api(world.inspector).post(URL, payload(industry="construction"))
    assert r.status_code == 422 and "industry" in r.json()["errors"]
    r = api(world.office).post(URL, payload(region="230100"))
    assert r.status_code == 422 and "region" in r.json()["errors"]
    # enterprise officer: own enterprise only, filled in by default
    body = create(api, world.officer_a)
    assert body["enterprise"] == world.enterprise_a.pk
    r = api(world.officer_a).post(URL, payload(enterprise=world.enterprise_b.pk))
    assert r.status_code == 422 and "enterprise" in r.json()["errors"]


def test_scope_404_for_other_region_industry_enterprise(world, api, frozen):
    body = create(api, world.office, enterprise=world.enterprise_a.pk)
    url = f"{URL}/{body['id']}"
    assert api(world.outsider).get(url).status_code == 404
    assert api(world.officer_h).get(url).status_code == 404
    assert api(world.officer_b).get(url).status_code == 404  # another enterprise
    assert api(world.inspector_build).get(url).status_code == 404  # another industry
    assert api(world.office_gjz).get(url).status_code == 404  # another district
    assert api(world.officer_a).get(url).status_code == 200
    assert api(world.inspector).get(url).status_code == 200
    for suffix in ["/reports", "/investigation", "/decisions", "/history", "/events", "/grade-history"]:
        assert api(world.outsider).get(url + suffix).status_code == 404
    assert api(world.outsider).patch(url, {"version": 1, "deaths": 5}).status_code == 404
    assert api(world.officer_b).get(URL).json()["items"] == []


def test_forbidden_actions_are_403(world, api, frozen):
    body = create(api, world.office, enterprise=world.enterprise_a.pk)
    url = f"{URL}/{body['id']}"
    assert api(world.leader).patch(url, {"version": 1, "deaths": 5}).status_code == 403
    assert api(world.officer_a).patch(url, {"version": 1, "deaths": 2}).status_code == 200
    r = api(world.officer_a).patch(f"{url}/investigation", {"version": 1, "direct_causes": "x"})
    assert r.status_code == 403
    r = api(world.officer_a).post(
        f"{url}/decisions", {"subject": "enterprise", "kind": "interview", "basis": "x"}
    )
    assert r.status_code == 403


def test_list_filters_and_query_count(world, api, frozen, django_assert_max_num_queries):
    for deaths in (0, 3, 10):
        create(api, world.office, deaths=deaths, enterprise=world.enterprise_a.pk)
    client = api(world.office)
    with django_assert_max_num_queries(4):
        r = client.get(URL, limit=2)
    body = r.json()
    assert len(body["items"]) == 2 and body["next"]
    assert len(client.get(URL, cursor=body["next"]).json()["items"]) == 1
    assert [a["grade"] for a in client.get(URL, grade="larger").json()["items"]] == ["larger"]
    with django_assert_max_num_queries(4):
        client.get(f"{URL}/{body['items'][0]['id']}")
    assert client.get(URL, limit=0).status_code == 422
    assert client.get(URL, cursor="!!").status_code == 422


def test_a_huge_filter_id_is_422_not_500(world, api):
    r = api(world.office).get("/api/v1/accidents?enterprise=99999999999999999999")
    assert r.status_code == 422
    assert "enterprise" in r.json()["errors"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/accidents/99999999999999999999",
        "/api/v1/accidents/0",
        "/api/v1/accidents/1/reports/99999999999999999999/made",
    ],
)
def test_an_unknown_path_id_is_404_as_in_every_module(world, api, url):
    client = api(world.office)
    r = (
        client.post(url, {"reported_at": "2026-01-01T00:00:00Z"})
        if url.endswith("/made")
        else client.get(url)
    )
    assert r.status_code == 404


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "1900-01-01T00:00:00Z"]
)
def test_far_dates_are_422(world, api, frozen, moment):
    r = api(world.office).post(URL, payload(occurred_at=moment))
    assert r.status_code == 422
    assert "occurred_at" in r.json()["errors"]


# --- S2: a reporter places an accident only in its own area -----------------------------------


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"region": "420115", "industry": "gas"}, "region"),  # the outside attack: Wuhan, gas
        ({"region": "210211"}, "region"),  # another district of the same city
        ({"industry": "gas"}, "industry"),
    ],
)
def test_s2_enterprise_officer_cannot_file_outside_its_enterprise(world, api, frozen, overrides, field):
    r = api(world.officer_a).post(URL, payload(deaths=5, **overrides))
    assert r.status_code == 422, r.content
    assert field in r.json()["errors"]
    assert not Accident.objects.exists()


def test_s2_enterprise_officer_may_file_in_a_street_of_its_district(world, api, frozen):
    from worksafe.regions.models import Region

    street = Region.objects.filter(parent_id="210202").first()
    body = create(api, world.officer_a, region=street.code)
    assert body["region"] == street.code and body["enterprise"] == world.enterprise_a.pk


def test_s2_inspector_and_office_stay_in_their_scope(world, api, frozen):
    r = api(world.inspector_zs).post(URL, payload(region="210211"))  # Zhongshan dept, Ganjingzi
    assert r.status_code == 422 and "region" in r.json()["errors"]
    r = api(world.inspector_build).post(URL, payload(industry="hazardous_chemicals"))
    assert r.status_code == 422 and "industry" in r.json()["errors"]
    r = api(world.office_gjz).post(URL, payload(region="210202"))
    assert r.status_code == 422 and "region" in r.json()["errors"]
    assert not Accident.objects.exists()
    assert create(api, world.office_gjz, region="210211")["region"] == "210211"


def test_s2_accident_placed_outside_the_enterprise_is_not_its_to_patch(world, api, frozen):
    from worksafe.accidents.services import accident_create

    accident = accident_create(
        actor=world.admin,
        occurred_at=NOW - timedelta(hours=1),
        region="420115",
        industry="gas",
        deaths=1,
        serious_injuries=0,
        direct_economic_loss="1",
        enterprise=world.enterprise_a.pk,
    )
    r = api(world.officer_a).patch(f"{URL}/{accident.pk}", {"version": 1, "deaths": 40})
    assert r.status_code == 403
    accident.refresh_from_db()
    assert accident.deaths == 1 and accident.grade == "general"


# --- S3: the accountable enterprise cannot lower what a government body recorded ----------------


@pytest.mark.parametrize("reporter", ["inspector", "office"])
@pytest.mark.parametrize(
    "change",
    [
        {"deaths": 0},
        {"missing": 0},
        {"serious_injuries": 1},
        {"direct_economic_loss": "1.00"},
        {"deaths": 13, "serious_injuries": 0},  # one raised, one lowered: still refused
    ],
)
def test_s3_enterprise_cannot_lower_government_figures(world, api, frozen, reporter, change):
    body = create(
        api,
        getattr(world, reporter),
        enterprise=world.enterprise_a.pk,
        deaths=12,
        missing=2,
        serious_injuries=3,
        direct_economic_loss="5000000.00",
    )
    assert body["grade"] == "serious"
    r = api(world.officer_a).patch(f"{URL}/{body['id']}", {"version": 1, **change})
    assert r.status_code == 403, r.content
    assert "government" in r.json()["detail"]
    accident = Accident.objects.get(pk=body["id"])
    assert (accident.deaths, accident.missing, accident.serious_injuries, accident.grade) == (
        12,
        2,
        3,
        "serious",
    )
    assert accident.version == 1 and accident.grade_changes.count() == 1


def test_s3_enterprise_may_raise_and_government_may_lower(world, api, frozen):
    body = create(api, world.inspector, enterprise=world.enterprise_a.pk, deaths=2)
    url = f"{URL}/{body['id']}"
    r = api(world.officer_a).patch(url, {"version": 1, "deaths": 3})
    assert r.status_code == 200 and r.json()["grade"] == "larger"
    # back to the government's figure is not below it; below it is
    assert api(world.officer_a).patch(url, {"version": 2, "deaths": 2}).status_code == 200
    assert api(world.officer_a).patch(url, {"version": 3, "deaths": 1}).status_code == 403
    r = api(world.inspector).patch(url, {"version": 3, "deaths": 0})
    assert r.status_code == 200 and r.json()["grade"] == "general"
    # the government's latest record is the floor now; the enterprise's own report is not
    assert api(world.officer_a).patch(url, {"version": 4, "deaths": 1}).status_code == 200
    assert api(world.officer_a).patch(url, {"version": 5, "deaths": 0}).status_code == 200


def test_s3_enterprise_may_correct_its_own_report(world, api, frozen):
    body = create(api, world.officer_a, deaths=3)
    r = api(world.officer_a).patch(f"{URL}/{body['id']}", {"version": 1, "deaths": 2})
    assert r.status_code == 200 and r.json()["grade"] == "general"
