import pytest

from worksafe.inspections.models import ChecklistTemplate
from worksafe.orgs.models import Industry

REQUIRED = {
    "coal_mine",
    "metal_nonmetal_mine",
    "hazardous_chemicals",
    "fireworks",
    "industry_trade",
    "construction",
    "road_transport",
    "fishing_vessel",
    "fire_safety",
    "special_equipment",
    "tourism",
    "gas",
}


@pytest.mark.django_db
def test_migrate_ships_a_template_of_at_least_12_cited_items_per_industry():
    shipped = ChecklistTemplate.objects.filter(owner__isnull=True).prefetch_related("items")
    assert {t.industry for t in shipped} >= REQUIRED
    assert {t.industry for t in shipped} <= set(Industry.values)
    # fire safety has crowded places and the "nine small places"
    assert shipped.filter(industry="fire_safety").count() == 2
    for template in shipped:
        items = list(template.items.all())
        assert len(items) >= 12, template.code
        assert all(i.text and i.gloss and i.source for i in items), template.code
        assert any(i.is_major for i in items), template.code


def test_office_copies_a_template_into_a_new_version_and_adapts_it(world, api, chem_checklist):
    client = api(world.office)
    response = client.post(f"/api/v1/checklists/{chem_checklist.pk}/copy", {"name": "大连危化专项"})
    assert response.status_code == 201
    copy = response.json()
    assert copy["name"] == "大连危化专项" and copy["based_on"] == chem_checklist.pk
    assert len(copy["items"]) == chem_checklist.items.count()
    added = client.post(
        f"/api/v1/checklists/{copy['id']}/items",
        {"text": "液氨储罐区喷淋设施完好", "gloss": "Ammonia tank sprinklers work", "is_major": False},
    )
    assert added.status_code == 201
    again = client.post(f"/api/v1/checklists/{copy['id']}/copy")
    assert again.status_code == 201
    assert again.json()["version"] == copy["version"] + 1 and again.json()["code"] == copy["code"]
    url = f"/api/v1/checklists/{copy['id']}/items/{added.json()['id']}"
    assert client.client.delete(url, headers=client.headers).status_code == 204
    assert not ChecklistTemplate.objects.get(pk=copy["id"]).items.filter(pk=added.json()["id"]).exists()


def test_inspector_may_not_copy_and_nobody_edits_a_shipped_template(world, api, chem_checklist):
    assert api(world.inspector).post(f"/api/v1/checklists/{chem_checklist.pk}/copy").status_code == 403
    response = api(world.office).post(f"/api/v1/checklists/{chem_checklist.pk}/items", {"text": "x"})
    assert response.status_code == 403


def test_a_used_version_is_frozen(world, api, chem_checklist, plan_inspection):
    copy = api(world.office).post(f"/api/v1/checklists/{chem_checklist.pk}/copy").json()
    plan_inspection("routine", by=world.office, checklist=copy["id"])
    response = api(world.office).post(f"/api/v1/checklists/{copy['id']}/items", {"text": "新增"})
    assert response.status_code == 422
    assert "template" in response.json()["errors"]


def test_an_adapted_template_is_invisible_outside_its_area(world, api, chem_checklist):
    copy = api(world.office_gjz).post(f"/api/v1/checklists/{chem_checklist.pk}/copy").json()
    assert (
        api(world.office).get(f"/api/v1/checklists/{copy['id']}").status_code == 200
    )  # city above the district
    assert api(world.outsider).get(f"/api/v1/checklists/{copy['id']}").status_code == 404
    assert api(world.inspector).get(f"/api/v1/checklists/{copy['id']}").status_code == 404
    ids = [c["id"] for c in api(world.outsider).get("/api/v1/checklists", limit=200).json()["items"]]
    assert copy["id"] not in ids and chem_checklist.pk in ids


def test_list_checklists_query_count(world, api, django_assert_max_num_queries):
    client = api(world.inspector)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/checklists", industry="hazardous_chemicals")
    assert response.status_code == 200 and response.json()["items"]
