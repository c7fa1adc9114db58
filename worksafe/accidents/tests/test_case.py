"""Investigation, the three tracks, accountability decisions and the enterprise's history."""

from datetime import UTC, date, datetime

import time_machine

from worksafe.accidents.models import Decision

URL = "/api/v1/accidents"


def create(api, user, **overrides):
    data = {
        "occurred_at": "2026-03-10T09:30:00+08:00",
        "region": "210202",
        "industry": "hazardous_chemicals",
        "deaths": 1,
        "serious_injuries": 0,
        "direct_economic_loss": "500000",
        "enterprise": None,
    }
    data.update(overrides)
    r = api(user).post(URL, data)
    assert r.status_code == 201, r.content
    return r.json()["id"]


def test_investigation_deadline_and_extension_limit(world, api, frozen):
    pk = create(api, world.office)
    office = api(world.office)
    inv = office.get(f"{URL}/{pk}/investigation").json()
    assert inv["due_on"] == "2026-05-09"  # 60 days from 10 March
    assert inv["status"] == "open" and inv["version"] == 1
    url = f"{URL}/{pk}/investigation/extend"
    r = office.post(url, {"version": 1, "days": 61, "approved_by": "中山区人民政府", "reason": "技术鉴定"})
    assert r.status_code == 422 and "days" in r.json()["errors"]
    r = office.post(url, {"version": 1, "days": 40, "approved_by": "中山区人民政府", "reason": "技术鉴定"})
    assert r.status_code == 200, r.content
    assert r.json()["due_on"] == "2026-06-18"
    r = office.post(url, {"version": 2, "days": 21, "approved_by": "中山区人民政府", "reason": "再延"})
    assert r.status_code == 422 and "days" in r.json()["errors"]  # 40 + 21 > 60
    r = office.post(url, {"version": 2, "days": 20, "approved_by": "中山区人民政府", "reason": "再延"})
    assert r.json()["due_on"] == "2026-07-08" and r.json()["extension_days"] == 60
    r = office.post(url, {"version": 3, "days": 1, "approved_by": "x", "reason": "y"})
    assert r.status_code == 422
    assert office.post(url, {"version": 1, "days": 1, "approved_by": "x", "reason": "y"}).status_code == 409
    r = office.post(url, {"version": 3, "days": 0, "approved_by": "", "reason": ""})
    assert r.status_code == 422 and {"days", "approved_by", "reason"} <= set(r.json()["errors"])


def test_investigation_deadline_counts_local_day(world, api):
    with time_machine.travel(datetime(2026, 3, 10, 4, 0, tzinfo=UTC), tick=False):
        # 23:30 UTC on 9 March is 07:30 on 10 March in Dalian.
        pk = create(api, world.office, occurred_at="2026-03-09T23:30:00Z")
        assert api(world.office).get(f"{URL}/{pk}/investigation").json()["due_on"] == "2026-05-09"
    with time_machine.travel(datetime(2026, 5, 9, 15, 59, tzinfo=UTC), tick=False):
        assert api(world.office).get(f"{URL}/{pk}/investigation").json()["overdue"] is False
    with time_machine.travel(datetime(2026, 5, 9, 16, 1, tzinfo=UTC), tick=False):
        assert api(world.office).get(f"{URL}/{pk}/investigation").json()["overdue"] is True


def test_three_tracks_must_close_before_conclusion(world, api, frozen):
    pk = create(api, world.office)
    office = api(world.office)
    r = office.patch(
        f"{URL}/{pk}/investigation",
        {
            "version": 1,
            "lead_authority": "中山区人民政府事故调查组",
            "team": [{"name": "王组长", "unit": "中山区应急管理局", "role": "组长"}],
            "direct_causes": "储罐检修时未进行气体检测即动火。",
            "indirect_causes": "企业安全管理制度落实不到位。",
        },
    )
    assert r.status_code == 200, r.content
    assert r.json()["team"][0]["name"] == "王组长"
    r = office.post(f"{URL}/{pk}/investigation/conclude", {"version": 2, "conclusion": "责任事故"})
    assert r.status_code == 422
    assert set(r.json()["errors"]) == {"tracks.enterprise", "tracks.regulators", "tracks.local_government"}
    r = office.post(f"{URL}/{pk}/investigation/tracks/enterprise", {"close": True})
    assert r.status_code == 422 and "findings" in r.json()["errors"]
    for kind in ("enterprise", "regulators"):
        r = office.post(f"{URL}/{pk}/investigation/tracks/{kind}", {"findings": "已查明。", "close": True})
        assert r.status_code == 200 and r.json()["status"] == "closed"
    r = office.post(f"{URL}/{pk}/investigation/conclude", {"version": 2, "conclusion": "责任事故"})
    assert r.status_code == 422 and set(r.json()["errors"]) == {"tracks.local_government"}
    office.post(
        f"{URL}/{pk}/investigation/tracks/local_government",
        {"findings": "属地责任落实不到位。", "close": True},
    )
    assert office.post(f"{URL}/{pk}/investigation/tracks/bogus", {"close": True}).status_code == 422
    r = office.post(f"{URL}/{pk}/investigation/conclude", {"version": 2, "conclusion": "责任事故"})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "concluded"
    r = office.post(f"{URL}/{pk}/investigation/tracks/enterprise", {"close": False})
    assert r.status_code == 422  # concluded case is closed for changes


def test_conclusion_needs_causes(world, api, frozen):
    pk = create(api, world.office)
    office = api(world.office)
    for kind in ("enterprise", "regulators", "local_government"):
        office.post(f"{URL}/{pk}/investigation/tracks/{kind}", {"findings": "ok", "close": True})
    r = office.post(f"{URL}/{pk}/investigation/conclude", {"version": 1, "conclusion": ""})
    assert r.status_code == 422 and {"direct_causes", "conclusion"} <= set(r.json()["errors"])


def test_team_validation(world, api, frozen):
    pk = create(api, world.office)
    r = api(world.office).patch(f"{URL}/{pk}/investigation", {"version": 1, "team": [{"name": ""}]})
    assert r.status_code == 422 and "team" in r.json()["errors"]


def test_enterprise_fine_in_and_out_of_range(world, api, frozen):
    pk = create(api, world.office, enterprise=world.enterprise_a.pk)
    office = api(world.office)
    proposal = office.get(f"{URL}/{pk}/fine-proposal").json()
    assert proposal == {
        "subject": "enterprise",
        "law_version": "2021",
        "minimum": "300000.00",
        "maximum": "1000000.00",
        "basis": "《安全生产法》（2021）第114条",
    }
    base = {"subject": "enterprise", "kind": "administrative_fine", "basis": "《安全生产法》第114条"}
    r = office.post(f"{URL}/{pk}/decisions", {**base, "amount": "500000"})
    assert r.status_code == 201, r.content
    assert r.json()["outside_range"] is False and r.json()["law_version"] == "2021"
    assert r.json()["organization"] == world.enterprise_a.pk
    r = office.post(f"{URL}/{pk}/decisions", {**base, "amount": "200000"})
    assert r.status_code == 422 and "outside_range_reason" in r.json()["errors"]
    r = office.post(
        f"{URL}/{pk}/decisions", {**base, "amount": "200000", "outside_range_reason": "从轻处罚情节"}
    )
    assert r.status_code == 201 and r.json()["outside_range"] is True
    r = office.post(f"{URL}/{pk}/decisions", {**base})
    assert r.status_code == 422 and "amount" in r.json()["errors"]
    items = office.get(f"{URL}/{pk}/decisions").json()["items"]
    assert [d["outside_range"] for d in items] == [False, True]


def test_principal_person_fine_by_income(world, api, frozen):
    pk = create(api, world.office, enterprise=world.enterprise_a.pk, deaths=3)  # larger: 60 %
    office = api(world.office)
    data = {
        "subject": "principal_person",
        "person_name": "张某",
        "kind": "administrative_fine",
        "basis": "《安全生产法》第95条",
        "previous_year_income": "300000",
        "amount": "180000",
    }
    r = office.post(f"{URL}/{pk}/decisions", data)
    assert r.status_code == 201, r.content
    assert r.json()["range_min"] == r.json()["range_max"] == "180000.00"
    r = office.post(f"{URL}/{pk}/decisions", {**data, "amount": "100000"})
    assert r.status_code == 422


def test_law_version_follows_accident_date_in_local_time(world, api):
    # 31 Aug 2021 16:30 UTC is 1 Sept 00:30 in Dalian: the 2021 text applies.
    with time_machine.travel(datetime(2026, 1, 1, tzinfo=UTC), tick=False):
        new = create(api, world.office, enterprise=world.enterprise_a.pk, occurred_at="2021-08-31T16:30:00Z")
        old = create(api, world.office, enterprise=world.enterprise_a.pk, occurred_at="2021-08-31T15:30:00Z")
        office = api(world.office)
        assert office.get(f"{URL}/{new}/fine-proposal").json()["law_version"] == "2021"
        body = office.get(f"{URL}/{old}/fine-proposal").json()
    assert (body["law_version"], body["minimum"], body["maximum"]) == ("2014", "200000.00", "500000.00")


def test_decision_validation(world, api, frozen):
    pk = create(api, world.office)  # no enterprise
    office = api(world.office)
    r = office.post(f"{URL}/{pk}/decisions", {"subject": "enterprise", "kind": "notification", "basis": "x"})
    assert r.status_code == 422 and "subject" in r.json()["errors"]
    r = office.post(
        f"{URL}/{pk}/decisions",
        {"subject": "organization", "organization": world.harbin.pk, "kind": "interview", "basis": "x"},
    )
    assert r.status_code == 422 and "organization" in r.json()["errors"]  # cannot see it
    r = office.post(
        f"{URL}/{pk}/decisions",
        {"subject": "organization", "organization": world.dept_zs.pk, "kind": "interview", "basis": "约谈"},
    )
    assert r.status_code == 201
    r = office.post(f"{URL}/{pk}/decisions", {"subject": "person", "kind": "removal", "basis": "x"})
    assert r.status_code == 422 and "person_name" in r.json()["errors"]
    r = office.post(
        f"{URL}/{pk}/decisions", {"subject": "person", "kind": "jail", "basis": "x", "person_name": "a"}
    )
    assert r.status_code == 422 and "kind" in r.json()["errors"]
    assert Decision.objects.count() == 1


def test_history_shows_hazards_of_the_preceding_year(world, api):
    with time_machine.travel(datetime(2025, 2, 1, 2, 0, tzinfo=UTC), tick=False):
        world.make_hazard(title="十四个月前的隐患")
    with time_machine.travel(datetime(2025, 12, 1, 2, 0, tzinfo=UTC), tick=False):
        known = world.make_hazard(title="三个月前的隐患", due_date=date(2025, 12, 20))
    with time_machine.travel(datetime(2026, 3, 10, 4, 0, tzinfo=UTC), tick=False):
        world.make_hazard(title="事故后登记")
        pk = create(
            api, world.office, enterprise=world.enterprise_a.pk, occurred_at="2026-03-10T09:00:00+08:00"
        )
        body = api(world.office).get(f"{URL}/{pk}/history").json()
        assert [h["title"] for h in body["hazards"]] == ["三个月前的隐患"]
        assert body["hazards"][0]["id"] == known.pk
        assert body["known"] == 1 and body["open"] == 1 and body["rectified"] == 0
        assert body["hazards"][0]["overdue"] is True
        # the enterprise officer sees its own, the construction inspector sees no chemical hazards
        assert api(world.officer_a).get(f"{URL}/{pk}/history").json()["known"] == 1


def test_history_shows_inspections_and_enforcement(world, api):
    from worksafe.inspections.services import (
        enforcement_create,
        inspection_create,
        inspection_finish,
        inspection_start,
    )

    with time_machine.travel(datetime(2026, 1, 5, 2, 0, tzinfo=UTC), tick=False):
        inspection = inspection_create(
            actor=world.inspector, target=world.enterprise_a.pk, kind="routine", planned_on=date(2026, 1, 5)
        )
        inspection_start(actor=world.inspector, inspection_id=inspection.pk, version=inspection.version)
        inspection_finish(actor=world.inspector, inspection_id=inspection.pk, allow_unanswered=True)
        enforcement_create(
            actor=world.inspector,
            target=world.enterprise_a.pk,
            kind="fine",
            amount="50000",
            legal_basis="《安全生产法》第一百零一条",
        )
    with time_machine.travel(datetime(2026, 3, 10, 4, 0, tzinfo=UTC), tick=False):
        pk = create(api, world.office, enterprise=world.enterprise_a.pk)
        body = api(world.office).get(f"{URL}/{pk}/history").json()
    assert [i["id"] for i in body["inspections"]] == [inspection.pk]
    assert body["inspections"][0]["status"] == "finished"
    assert [(e["kind"], e["amount"]) for e in body["enforcement"]] == [("fine", "50000.00")]
    other = api(world.office).get(f"{URL}/{create(api, world.office)}/history").json()
    assert other["inspections"] == [] and other["enforcement"] == []


def test_history_counts_read_the_same_on_the_page_and_the_api(world, api, client):
    """Known, rectified (closed after acceptance) and still open: one definition, both doors."""
    from worksafe.hazards.services import hazard_transition

    with time_machine.travel(datetime(2025, 12, 1, 2, 0, tzinfo=UTC), tick=False):
        world.make_hazard(title="仍未整改")
        cancelled = world.make_hazard(title="重复登记")
        hazard_transition(actor=world.office, hazard_id=cancelled.pk, action="cancel", version=1, note="重复")
        done = world.make_hazard(title="已整改")
        hazard_transition(
            actor=world.office, hazard_id=done.pk, action="assign", version=1, responsible_person="王五"
        )
        hazard_transition(actor=world.officer_a, hazard_id=done.pk, action="submit", version=2)
        hazard_transition(actor=world.office, hazard_id=done.pk, action="accept", version=3)
    with time_machine.travel(datetime(2026, 3, 10, 4, 0, tzinfo=UTC), tick=False):
        pk = create(
            api, world.office, enterprise=world.enterprise_a.pk, occurred_at="2026-03-10T09:00:00+08:00"
        )
        body = api(world.office).get(f"{URL}/{pk}/history").json()
        client.force_login(world.office)
        page = client.get(f"/accidents/{pk}/", headers={"accept-language": "en"})
    assert (body["known"], body["rectified"], body["open"]) == (3, 1, 1)
    shown = page.context["history"]
    assert (shown["known"], shown["rectified"], shown["open"]) == (3, 1, 1)
    assert "3 hidden dangers registered, 1 rectified, 1 still open." in page.content.decode()
