"""Every free text a person can send has a maximum, answered 422 naming the field and limit."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from worksafe.hazards.models import Hazard


def _unbounded_strings(schema: dict, components: dict, path: str, seen=frozenset()):
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name not in seen:
            yield from _unbounded_strings(components[name], components, path, seen | {name})
        return
    alternatives = schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", [])
    is_decimal = any(alt.get("type") == "number" for alt in alternatives)  # number or numeric string
    for alt in alternatives:
        if not (is_decimal and alt.get("type") == "string"):
            yield from _unbounded_strings(alt, components, path, seen)
    for name, prop in schema.get("properties", {}).items():
        yield from _unbounded_strings(prop, components, f"{path}.{name}", seen)
    if "items" in schema:
        yield from _unbounded_strings(schema["items"], components, f"{path}[]", seen)
    bounded = {"maxLength", "enum", "format", "pattern", "const"} & set(schema)
    if schema.get("type") == "string" and not bounded:
        yield path


@pytest.mark.django_db
def test_every_string_a_request_body_takes_has_a_max_length():
    doc = Client(SERVER_NAME="localhost").get("/api/v1/openapi.json").json()
    components = doc["components"]["schemas"]
    unbounded, bodies = [], 0
    for url, operations in doc["paths"].items():
        for method, operation in operations.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                bodies += 1
                unbounded += _unbounded_strings(content["schema"], components, f"{method.upper()} {url}")
    assert bodies > 30  # the walk reached the API's request bodies
    assert unbounded == []


def test_a_120000_character_description_is_refused_on_the_page(world):
    client = Client(SERVER_NAME="localhost")
    client.force_login(world.officer_a)
    response = client.post(
        reverse("hazards:create"),
        {
            "enterprise": world.enterprise_a.pk,
            "title": "消防通道堵塞",
            "description": "堵" * 120_000,
            "level": "general",
            "source": "self_check",
            "due_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    assert "10000" in " ".join(response.context["form"].errors["description"]).replace(",", "")
    assert 'maxlength="10000"' in response.content.decode()
    assert not Hazard.objects.exists()


@pytest.mark.parametrize(
    ("url", "field", "limit"),
    [
        ("/api/v1/hazards", "description", 10_000),
        ("/api/v1/hazards", "title", 200),
    ],
)
def test_the_api_names_the_field_and_limit(world, api, url, field, limit):
    body = {
        "enterprise": world.enterprise_a.pk,
        "title": "消防通道堵塞",
        "level": "general",
        "source": "self_check",
        "due_date": timezone.localdate().isoformat(),
        field: "x" * (limit + 1),
    }
    response = api(world.officer_a).post(url, body)
    assert response.status_code == 422 and field in response.json()["errors"]
    assert str(limit) in response.json()["errors"][field][0]


def test_services_refuse_over_long_text_instead_of_cutting_it(world):
    from worksafe.core.errors import Invalid
    from worksafe.hazards.services import hazard_create

    with pytest.raises(Invalid) as caught:
        hazard_create(
            actor=world.office,
            enterprise=world.enterprise_a.pk,
            title="隐患",
            description="x" * 10_001,
            level="general",
            source="inspection",
            due_date=timezone.localdate(),
        )
    assert "description" in caught.value.errors


def test_a_cancel_note_is_refused_not_cut(world, api):
    from worksafe.core.errors import Invalid
    from worksafe.inspections.models import Inspection
    from worksafe.inspections.services import inspection_cancel, inspection_create

    inspection = inspection_create(
        actor=world.inspector, target=world.enterprise_a.pk, kind="routine", planned_on=timezone.localdate()
    )
    with pytest.raises(Invalid) as caught:
        inspection_cancel(actor=world.inspector, inspection_id=inspection.pk, note="x" * 2001)
    assert "note" in caught.value.errors
    assert Inspection.objects.get(pk=inspection.pk).status == Inspection.Status.PLANNED
