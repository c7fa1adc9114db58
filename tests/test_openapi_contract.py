"""The OpenAPI document tells the truth: every enum, limit and answer a client relies on is
documented as the server enforces it, and the document builds without two things sharing a name."""

import enum
import json
import re
import types
import typing
from datetime import timedelta
from html.parser import HTMLParser

import jsonschema_rs
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import TextChoices
from django.test import Client
from django.utils import timezone
from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema
from pydantic import BaseModel

from worksafe.api import api
from worksafe.hazards.models import Hazard
from worksafe.orgs.models import ApiToken
from worksafe.testing import bearer

DOC = api.get_openapi_schema()
COMPONENTS = DOC["components"]["schemas"]


def operations():
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield "/api/v1" + path, method.lower(), operation


def resolve(schema: dict) -> list[dict]:
    """The concrete schemas a documented value may take ($ref, allOf and anyOf unfolded)."""
    if "$ref" in schema:
        return resolve(COMPONENTS[schema["$ref"].rsplit("/", 1)[1]])
    for key in ("allOf", "anyOf", "oneOf"):
        if key in schema:
            return [s for part in schema[key] for s in resolve(part) if s.get("type") != "null"]
    return [schema]


def unwrap(annotation) -> list:
    """The types a field annotation names (Annotated, Optional, unions and lists unfolded)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in unwrap(arg) if t is not type(None)]
    if origin in (list, set, tuple):
        return [("items", t) for arg in typing.get_args(annotation) for t in unwrap(arg)]
    return [annotation]


def choices_checked(annotation, documented: dict, where: str, found: list) -> None:
    """Compare every TextChoices (and model) under `annotation` with what documents it."""
    for kind in unwrap(annotation):
        schema = documented
        if isinstance(kind, tuple):  # a list: its items are documented under "items"
            _, kind = kind
            schema = next(s["items"] for s in resolve(documented) if "items" in s)
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            enums = [s["enum"] for s in resolve(schema) if "enum" in s]
            assert enums == [[c.value for c in kind]], f"{where}: documented {enums}, takes {kind.values}"
            found.append(where)
        elif isinstance(kind, type) and issubclass(kind, BaseModel):
            properties = {k: v for s in resolve(schema) for k, v in s.get("properties", {}).items()}
            for name, field in kind.model_fields.items():
                choices_checked(field.annotation, properties[field.alias or name], f"{where}.{name}", found)


def test_s7_every_documented_enum_is_the_one_the_server_takes():
    found: list[str] = []
    for path, method, operation in operations():
        documented = DOC["paths"][path][method]
        for model in operation.models:
            where = f"{method} {path}"
            if model.__ninja_param_source__ == "body":
                body = documented["requestBody"]["content"]["application/json"]["schema"]
                (field,) = model.model_fields.values()
                choices_checked(field.annotation, body, where, found)
                continue
            parameters = {p["name"]: p["schema"] for p in documented.get("parameters", [])}
            for content in documented.get("requestBody", {}).get("content", {}).values():  # form fields
                parameters.update(resolve(content["schema"])[0].get("properties", {}))
            routes = getattr(model, "__ninja_flatten_map__", None) or {
                name: (name,) for name in model.model_fields
            }
            for name, route in routes.items():
                annotation = model
                for step in route:
                    annotation = annotation.model_fields[step].annotation
                choices_checked(annotation, parameters[name], f"{where} ?{name}", found)
    # The walk reached the fields the review named (so it cannot pass by checking nothing).
    for expected in (
        "post /api/v1/inspections.kind",
        "get /api/v1/hazards ?status",
        "post /api/v1/enforcement.kind",
    ):
        assert expected in found


def test_s7_no_two_schemas_share_a_name():
    """ninja gathers the definitions of every model into one components section by short name:
    two different classes with one name (Hazard.Status, Inspection.Status; two PlanIn) would
    silently become one component, the last one built."""
    seen: dict[str, set[str]] = {}
    models = {m for _, _, op in operations() for m in [*op.models, *op.response_models.values()] if m}
    for model in models:
        schema = model.model_json_schema(ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema)
        for name, definition in schema.get("$defs", {}).items():
            seen.setdefault(name, set()).add(json.dumps(definition, sort_keys=True))
    shared = {name: len(versions) for name, versions in seen.items() if len(versions) > 1}
    assert shared == {}
    assert set(seen) <= set(COMPONENTS)


@pytest.mark.parametrize(
    ("component", "choices"),
    [
        ("HazardStatus", "worksafe.hazards.models.Hazard.Status"),
        ("InspectionKind", "worksafe.inspections.models.Inspection.Kind"),
        ("EnforcementKind", "worksafe.inspections.models.Enforcement.Kind"),
    ],
)
def test_s7_enums_are_named_after_their_owner(component, choices):
    module, owner, name = choices.rsplit(".", 2)
    cls: type[TextChoices] = getattr(getattr(__import__(module, fromlist=[owner]), owner), name)
    assert COMPONENTS[component]["enum"] == cls.values


# --- S8: a write without valid credentials answers 401, as documented ----------------------

WRITE = ("/api/v1/hazards", {"title": "x"})


def _write_with(token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    # CSRF is enforced as for any real client (Django's test client skips it by default).
    return Client(SERVER_NAME="localhost", enforce_csrf_checks=True).post(
        WRITE[0], json.dumps(WRITE[1]), content_type="application/json", headers=headers
    )


def _assert_unauthorized(response):
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required.", "errors": {}}


@pytest.mark.django_db
def test_s8_write_without_token_answers_401():
    _assert_unauthorized(_write_with(None))
    assert 401 in DOC["paths"][WRITE[0]]["post"]["responses"]


@pytest.mark.django_db
def test_s8_write_with_expired_token_answers_401(world):
    token = bearer(world.officer_a)
    ApiToken.objects.filter(user=world.officer_a).update(expires_at=timezone.now() - timedelta(seconds=1))
    _assert_unauthorized(_write_with(token))


@pytest.mark.django_db
def test_s8_write_with_revoked_token_answers_401(world):
    token = bearer(world.officer_a)
    revoked = Client(SERVER_NAME="localhost").post(
        "/api/v1/auth/revoke", headers={"Authorization": f"Bearer {token}"}
    )
    assert revoked.status_code == 204
    _assert_unauthorized(_write_with(token))
    assert Hazard.objects.count() == 0


@pytest.mark.django_db
def test_s8_session_write_without_csrf_is_still_refused(world):
    browser = Client(SERVER_NAME="localhost", enforce_csrf_checks=True)
    browser.force_login(world.office)
    refused = browser.post(WRITE[0], json.dumps(WRITE[1]), content_type="application/json")
    assert refused.status_code == 403
    # With the page's CSRF token the same session is let through to validation (422, not 401/403).
    browser.get("/login/")
    token = browser.cookies["csrftoken"].value
    passed = browser.post(
        WRITE[0], json.dumps(WRITE[1]), content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert passed.status_code == 422
    assert Hazard.objects.count() == 0


# --- S10: the interactive docs work offline, under the site's strict CSP ---------------------


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.urls += [attrs[name] for name in ("src", "href") if attrs.get(name)]
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.inline_scripts.append(attrs)  # JSON data blocks are never executed


@pytest.mark.django_db
def test_s10_docs_load_only_same_origin_assets_and_no_inline_script():
    response = Client(SERVER_NAME="localhost").get("/api/v1/docs")
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    page = _Assets()
    page.feed(response.content.decode())
    assert page.inline_scripts == []
    assert any(url.endswith("swagger-ui-bundle.js") for url in page.urls)
    for url in page.urls:
        assert url.startswith("/") and not url.startswith("//"), url
        assert url.startswith(settings.STATIC_URL) and finders.find(url.removeprefix(settings.STATIC_URL)), (
            url
        )
    # Swagger UI's online validator badge would fetch an image from its own host.
    assert '"validatorUrl": null' in response.content.decode()


@pytest.mark.django_db
def test_the_served_document_has_no_duplicate_keys():
    """A key twice in one object (an operation declaring response "200" as text beside ninja's
    200) is refused by YAML-based readers such as Swagger UI: the docs page showed nothing."""
    duplicated = []

    def pairs(items):
        keys = [key for key, _ in items]
        duplicated.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(items)

    served = Client(SERVER_NAME="localhost").get("/api/v1/openapi.json")
    json.loads(served.content, object_pairs_hook=pairs)
    assert duplicated == []


# --- S9: what the server enforces is what the document says ----------------------------------


def parameter(path: str, method: str, name: str) -> dict:
    (found,) = [p for p in DOC["paths"][path][method].get("parameters", []) if p["name"] == name]
    return resolve(found["schema"])[0]


def body_property(path: str, method: str, name: str) -> list[dict]:
    body = DOC["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    return resolve(resolve(body)[0]["properties"][name])


def test_s9_every_limit_is_documented_as_enforced():
    pages = [(path, method) for path, method, _ in operations() if "parameters" in DOC["paths"][path][method]]
    limited = [
        (p, m) for p, m in pages if any(x["name"] == "limit" for x in DOC["paths"][p][m]["parameters"])
    ]
    assert len(limited) >= 10
    for path, method in limited:
        limit = parameter(path, method, "limit")
        assert (limit["type"], limit["minimum"], limit["maximum"]) == ("integer", 1, 200), path
        assert parameter(path, method, "cursor")["pattern"], path


@pytest.mark.django_db
@pytest.mark.parametrize("limit", ["0", "201", "-1"])
def test_s9_a_limit_out_of_range_is_refused(world, api, limit):
    response = api(world.office).get("/api/v1/hazards", limit=limit)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["limit"]


def test_s9_transition_actions_are_enums():
    from worksafe.assessment.models import Period

    for path, owner in [
        ("/api/v1/assessment/periods/{period_id}/transition", Period),
        ("/api/v1/hazards/{hazard_id}/transition", Hazard),
    ]:
        (action,) = body_property(path, "post", "action")
        assert sorted(action["enum"]) == sorted(owner.TRANSITIONS), path


def test_s9_extension_days_are_documented_as_enforced():
    from worksafe.accidents.models import Investigation

    (days,) = body_property("/api/v1/accidents/{accident_id}/investigation/extend", "post", "days")
    assert (days["minimum"], days["maximum"]) == (1, Investigation.MAX_EXTENSION_DAYS)


def test_s9_decimal_text_is_documented_as_enforced():
    import re

    loss = body_property("/api/v1/accidents", "post", "direct_economic_loss")
    (text,) = [s for s in loss if s["type"] == "string"]
    (number,) = [s for s in loss if s["type"] == "number"]
    assert number["multipleOf"] == 0.01
    for accepted in ["0", "12", "1250000.00", "0.5"]:
        assert re.search(text["pattern"], accepted), accepted
    for refused in ["", " 1", "1e3", "+1", "1.234", "1,000", "NaN"]:
        assert not re.search(text["pattern"], refused), refused


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["", "1e3", " 1"])
def test_s9_decimal_text_outside_the_pattern_is_refused(world, api, value):
    from worksafe.accidents.tests.test_api import payload

    response = api(world.office).post("/api/v1/accidents", payload(direct_economic_loss=value))
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["direct_economic_loss"]


def test_s9_the_nul_rule_is_documented():
    assert "NUL" in DOC["info"]["description"]


@pytest.fixture
def accident(world, api):
    from worksafe.accidents.tests.test_api import create

    return create(api, world.office)


@pytest.mark.django_db
@pytest.mark.parametrize("value", [False, True, "1", 1.5])
def test_s9_an_integer_field_takes_only_an_integer(world, api, accident, value):
    response = api(world.office).patch(
        f"/api/v1/accidents/{accident['id']}", {"version": accident["version"], "serious_injuries": value}
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["serious_injuries"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", [0, 1, "true", "yes"])
def test_s9_a_boolean_field_takes_only_a_boolean(world, api, accident, value):
    response = api(world.office).post(
        f"/api/v1/accidents/{accident['id']}/investigation/tracks/enterprise", {"close": value}
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["close"]


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["null", "[null,null]", "5", '"x"', "[]"])
def test_s9_an_optional_body_is_an_object_or_nothing(world, api, accident, body):
    from worksafe.inspections.models import ChecklistTemplate

    office = api(world.office)
    duty = office.get(f"/api/v1/accidents/{accident['id']}/reports").json()["items"][0]
    checklist = ChecklistTemplate.objects.filter(owner=None).first()
    for url in [
        f"/api/v1/accidents/{accident['id']}/investigation/tracks/enterprise",
        f"/api/v1/accidents/{accident['id']}/reports/{duty['id']}/made",
        f"/api/v1/checklists/{checklist.pk}/copy",
    ]:
        response = office.post(url, body)
        assert response.status_code == 422, (url, response.content)
    assert ChecklistTemplate.objects.count() == ChecklistTemplate.objects.filter(owner=None).count()


# --- A client built from the document accepts every answer the server gives -----------------


def client_validators() -> dict:
    """What a client generated from the document would check: per operation and status code,
    the documented content types and a JSON Schema validator of the body."""
    validators = {}
    for path, methods in DOC["paths"].items():
        for method, operation in methods.items():
            for status, response in operation["responses"].items():
                content = response.get("content", {})
                schema = content.get("application/json", {}).get("schema")
                validator = (
                    jsonschema_rs.Draft202012Validator({**schema, "components": DOC["components"]})
                    if schema
                    else None
                )
                validators[(path, method, int(status))] = (set(content), validator)
    return validators


CLIENT = client_validators()


@pytest.fixture
def objects(world, api):
    """One object of each kind, in scope of the office, to put in paths."""
    from worksafe.accidents.tests.test_api import create
    from worksafe.inspections.models import ChecklistTemplate

    office = api(world.office)
    period = office.post(
        "/api/v1/assessment/periods",
        {"name": "2026", "region": "210200", "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
    )
    assert period.status_code == 201, period.content
    accident = create(api, world.office)
    return {
        "hazard_id": world.make_hazard().pk,
        "accident_id": accident["id"],
        "duty_id": office.get(f"/api/v1/accidents/{accident['id']}/reports").json()["items"][0]["id"],
        "period_id": period.json()["id"],
        "checklist_id": ChecklistTemplate.objects.first().pk,
        "org_id": world.enterprise_a.pk,
        "user_id": world.officer_a.pk,
        "code": "210200",
        "kind": "enterprise",
    }


QUERY = {"region": "210200"}  # the one required query parameter (hazard statistics)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["admin", "office", "inspector", "officer_a", "expert", "leader", "anonymous"]
)
def test_every_answer_is_one_the_document_allows(world, api, objects, role):
    """Every GET, and every write with an empty object, as each role: the status code is
    documented for the operation, and so are the content type and the body's shape."""
    user = getattr(world, role, None)
    answered, succeeded = 0, 0
    for path, methods in DOC["paths"].items():
        url = re.sub(r"\{(\w+)\}", lambda m: str(objects.get(m[1], 1)), path)
        for method, operation in methods.items():
            client = api(user)
            query = {
                p["name"]: QUERY[p["name"]]
                for p in operation.get("parameters", [])
                if p["required"] and p["in"] == "query"
            }
            if method == "get":
                response = client.get(url, **query)
            else:
                response = client.client.generic(
                    method.upper(), url, "{}", content_type="application/json", headers=client.headers
                )
            where = f"{role}: {method.upper()} {url} answered {response.status_code}"
            assert (path, method, response.status_code) in CLIENT, where
            types, validator = CLIENT[(path, method, response.status_code)]
            content_type = response.get("Content-Type", "").split(";")[0]
            if response.status_code != 204:
                assert content_type in types or not types, f"{where} as {content_type}"
            if validator is not None:
                errors = [str(e).splitlines()[0] for e in validator.iter_errors(response.json())]
                assert errors == [], where
            answered += 1
            succeeded += response.status_code < 300
    assert answered == sum(len(methods) for methods in DOC["paths"].values())
    # Not only refusals were checked: the office reads (and acts on) most of what exists.
    assert succeeded >= (40 if role == "office" else 0)


@pytest.mark.django_db
@pytest.mark.parametrize("body", ['{"name": "a\\u0000b"}', '{"name": "x"', "{'name': 'x'}"])
def test_an_optional_body_is_read_like_any_other(world, api, body):
    """The NUL rule of the API description (PostgreSQL cannot store one: a 500 there) and the
    400 for malformed JSON hold for the actions whose body is optional too."""
    from worksafe.inspections.models import ChecklistTemplate

    checklist = ChecklistTemplate.objects.first()
    before = ChecklistTemplate.objects.count()
    response = api(world.office).post(f"/api/v1/checklists/{checklist.pk}/copy", body)
    assert response.status_code == 400
    assert 400 in DOC["paths"]["/api/v1/checklists/{checklist_id}/copy"]["post"]["responses"]
    assert ChecklistTemplate.objects.count() == before
