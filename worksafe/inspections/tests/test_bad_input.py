"""Bad input never answers 500, on any write endpoint of this app."""

import pytest

JUNK = [
    None,
    [],
    "text",
    {"target": "x", "kind": 5, "planned_on": "yesterday"},
    {"target": -1, "kind": "routine", "planned_on": "2026-13-01"},
    {"item": [1], "result": {"a": 1}, "note": 5},
    {"lat": "north", "lng": None},
    {"found_operating": "maybe"},
    {"action": "", "version": "one"},
    {"amount": "1e400", "kind": "fine", "target": 1, "legal_basis": "x"},
    {"amount": "NaN", "kind": "fine", "target": 1, "legal_basis": "x"},
    {"criteria": {"region": "abc", "industry": "space"}, "target_count": 0, "method": "x"},
    {"team": ["a"], "pool": [1.5], "seed": "x" * 500},
    {"title": "", "level": "catastrophic"},
    {"name": "x" * 1000},
]


@pytest.fixture
def started(world, api, plan_inspection):
    insp = plan_inspection("routine")
    api(world.inspector).post(f"/api/v1/inspections/{insp['id']}/start")
    return insp["id"]


@pytest.mark.parametrize("body", JUNK)
def test_no_500_on_junk(world, api, started, chem_checklist, body):
    client = api(world.inspector)
    urls = [
        "/api/v1/inspections",
        f"/api/v1/inspections/{started}/start",
        f"/api/v1/inspections/{started}/answers",
        f"/api/v1/inspections/{started}/findings",
        f"/api/v1/inspections/{started}/finish",
        f"/api/v1/inspections/{started}/cancel",
        f"/api/v1/checklists/{chem_checklist.pk}/copy",
        f"/api/v1/checklists/{chem_checklist.pk}/items",
        "/api/v1/inspection-plans",
        "/api/v1/enforcement",
        "/api/v1/enforcement/1/complete",
        "/api/v1/opinions/1/transition",
    ]
    for url in urls:
        response = client.post(url, body if body is not None else "null")
        assert response.status_code < 500, (url, body, response.content)
        assert "detail" in response.json() or response.status_code in (200, 201)


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "x"},
        {"cursor": "%%%"},
        {"status": "lost"},
        {"kind": 3},
        {"target": "a"},
        {"start": "2026-02-30"},
    ],
)
def test_no_500_on_bad_queries(world, api, params):
    client = api(world.office)
    for url in (
        "/api/v1/inspections",
        "/api/v1/enforcement",
        "/api/v1/checklists",
        "/api/v1/opinions",
        "/api/v1/inspections/activity",
        "/api/v1/enforcement/reinspection",
        "/api/v1/inspection-plans",
    ):
        response = client.get(url, **params)
        assert response.status_code in (200, 422), (url, params, response.content)
