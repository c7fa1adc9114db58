import random

from worksafe.inspections.models import Inspection, InspectionPlan
from worksafe.inspections.services import draw
from worksafe.orgs.models import Organization
from worksafe.testing import make_org


def test_same_seed_and_pool_give_the_same_draw_in_any_order():
    candidates, pool = list(range(100, 160)), list(range(1, 12))
    first = draw(candidates=candidates, pool=pool, seed="2026-Q2", target_count=8, team_size=2)
    shuffled_c, shuffled_p = candidates[:], pool[:]
    random.Random(7).shuffle(shuffled_c)
    random.Random(8).shuffle(shuffled_p)
    assert draw(candidates=shuffled_c, pool=shuffled_p, seed="2026-Q2", target_count=8, team_size=2) == first
    assert len({d["target"] for d in first}) == 8
    assert all(len(set(d["team"])) == 2 and set(d["team"]) <= set(pool) for d in first)
    other = draw(candidates=candidates, pool=pool, seed="2026-Q3", target_count=8, team_size=2)
    assert other != first


def test_draw_never_asks_for_more_than_there_is():
    result = draw(candidates=[1, 2], pool=[9], seed="s", target_count=5, team_size=3)
    assert sorted(d["target"] for d in result) == [1, 2] and all(d["team"] == [9] for d in result)


def _enterprises(world, n):
    return [
        make_org(
            kind=Organization.Kind.ENTERPRISE,
            name=f"化工{i}",
            region="210211",
            industry="hazardous_chemicals",
        )
        for i in range(n)
    ]


def test_random_plan_records_seed_and_reproduces(world, api):
    _enterprises(world, 6)
    body = {
        "name": "危化品双随机",
        "method": "random",
        "kind": "unannounced",
        "planned_on": "2026-06-20",
        "target_count": 3,
        "team_size": 1,
        "seed": "dalian-2026-06",
        "pool": [world.office.pk],
        "criteria": {"industry": "hazardous_chemicals"},
    }
    response = api(world.office).post("/api/v1/inspection-plans", body)
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["seed"] == "dalian-2026-06" and len(plan["draw"]) == 3
    again = draw(
        candidates=plan["candidates"], pool=plan["pool"], seed=plan["seed"], target_count=3, team_size=1
    )
    assert again == plan["draw"]
    planned = Inspection.objects.filter(plan_id=plan["id"])
    assert sorted(planned.values_list("target_id", flat=True)) == sorted(d["target"] for d in plan["draw"])
    assert all(i.kind == "unannounced" for i in planned)
    # the enterprises drawn see nothing: the check is unannounced
    assert api(world.officer_b).get("/api/v1/inspections").json()["items"] == []
    assert api(world.office).get(f"/api/v1/inspection-plans/{plan['id']}").status_code == 200
    assert api(world.outsider).get(f"/api/v1/inspection-plans/{plan['id']}").status_code == 404


def test_rule_plan_filters_by_industry_and_time_since_last_inspection(world, api, plan_inspection):
    done = plan_inspection("routine")
    client = api(world.inspector)
    client.post(f"/api/v1/inspections/{done['id']}/start")
    client.post(f"/api/v1/inspections/{done['id']}/finish")
    response = client.post(
        "/api/v1/inspection-plans",
        {
            "name": "半年未检",
            "method": "rule",
            "kind": "special",
            "planned_on": "2026-06-20",
            "target_count": 10,
            "criteria": {"industry": "hazardous_chemicals", "days_since_last_inspection": 180},
        },
    )
    assert response.status_code == 201
    plan = InspectionPlan.objects.get(pk=response.json()["id"])
    assert world.enterprise_b.pk in plan.candidates
    assert world.enterprise_a.pk not in plan.candidates  # inspected just now
    assert world.enterprise_c.pk not in plan.candidates and world.enterprise_h.pk not in plan.candidates


def test_plan_validation(world, api):
    bad = api(world.office).post(
        "/api/v1/inspection-plans",
        {
            "name": "x",
            "method": "random",
            "kind": "government_supervision",
            "planned_on": "2026-06-20",
            "target_count": 1,
            "pool": [world.outsider.pk],
        },
    )
    assert bad.status_code == 422
    assert {"kind", "pool"} <= set(bad.json()["errors"])
    assert (
        api(world.officer_a)
        .post(
            "/api/v1/inspection-plans",
            {"name": "x", "method": "rule", "kind": "routine", "planned_on": "2026-06-20", "target_count": 1},
        )
        .status_code
        == 403
    )


def test_a_plan_names_its_targets_so_only_the_organizer_reads_it(world, api):
    body = {
        "name": "专项",
        "method": "rule",
        "kind": "special",
        "planned_on": "2026-06-20",
        "target_count": 5,
        "criteria": {"industry": "hazardous_chemicals"},
    }
    plan = api(world.inspector).post("/api/v1/inspection-plans", body).json()
    assert world.enterprise_a.pk in plan["candidates"]
    for user in (world.officer_a, world.officer_b, world.outsider, world.inspector_build):
        assert api(user).get(f"/api/v1/inspection-plans/{plan['id']}").status_code == 404
        assert api(user).get("/api/v1/inspection-plans").json()["items"] == []
    assert api(world.inspector).get("/api/v1/inspection-plans").json()["items"][0]["id"] == plan["id"]


def test_plan_in_a_region_that_does_not_exist_is_422(world, api):
    """Found by fuzzing: the plan was saved naming a region no row holds (a foreign key that
    PostgreSQL refuses only at commit, a 500)."""
    body = {
        "name": "不存在的地区",
        "method": "rule",
        "kind": "routine",
        "planned_on": "2026-06-20",
        "target_count": 1,
        "criteria": {"region": "000000"},
    }
    response = api(world.office).post("/api/v1/inspection-plans", body)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["criteria.region"]
    assert not InspectionPlan.objects.exists()
