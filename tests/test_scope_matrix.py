"""Every route with a path parameter, tried by every kind of outsider: another region, another
district, another industry, another enterprise, an expert not assigned. The answer is 404 (or
the very answer a non-existent id gets), never the object.

Routes are discovered (the API from its OpenAPI document, pages from the URL resolver), so a
new route is tried the day it lands; one whose parameter the table in scope_table.py cannot
fill fails the suite until an entry is added there.
"""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from worksafe.api import api
from worksafe.testing import PNG, ApiClient

from .scope_table import API_PARAMS, FACTORIES, PAGE_PARAMS, PUBLIC, VIEWERS

MISSING_ID = 987654321
SKIP_PAGE_PREFIXES = ("admin/", "api/", "i18n/", "static/", "media/")


def api_operations():
    document = api.get_openapi_schema()
    for path, methods in document["paths"].items():
        if "{" not in path:
            continue
        for method, operation in methods.items():
            yield pytest.param(path, method, operation, document, id=f"{method.upper()} {path}")


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if entry.namespace and namespace:
                ns = f"{namespace}:{entry.namespace}"
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry.name, entry.pattern


def page_routes():
    for route, namespace, name, pattern in _walk(get_resolver().url_patterns):
        converters = getattr(pattern, "converters", {})
        if route.startswith(SKIP_PAGE_PREFIXES) or not converters:
            continue
        yield pytest.param(route, namespace, name, list(converters), id=f"{namespace}:{name}")


def _page_kind(namespace, name, param):
    for key in (f"{namespace}:{name}.{param}", f"{namespace}:*.{param}"):
        if key in PAGE_PARAMS:
            return PAGE_PARAMS[key]
    pytest.fail(
        f"The page route {namespace}:{name} has a path parameter {param!r} the scope matrix cannot fill. "
        f"Add '{namespace}:{name}.{param}' (or '{namespace}:*.{param}') to PAGE_PARAMS in "
        "tests/scope_table.py, with a factory for an object out of scope."
    )


def _api_kind(path, param):
    if param in API_PARAMS:
        return API_PARAMS[param]
    pytest.fail(
        f"The API route {path} has a path parameter {param!r} the scope matrix cannot fill. Add it to "
        "API_PARAMS in tests/scope_table.py, with a factory for an object "
        "out of scope."
    )


class Filler:
    """Builds, once per route and viewer, the out-of-scope objects the parameters name."""

    def __init__(self, world, viewer):
        self.world, self.viewer = world, viewer
        self.enterprise = getattr(world, VIEWERS[viewer][0])
        self.objects: dict[str, object] = {}

    def value(self, kind):
        if isinstance(kind, tuple):
            return kind[1]
        if kind not in self.objects:
            made = FACTORIES[kind](self.world, self.viewer, self.enterprise)
            if isinstance(made, dict):
                for key, pk in made.items():
                    self.objects.setdefault(key, pk)
            else:
                self.objects[kind] = made if isinstance(made, int) else made.pk
        return self.objects[kind]


def _resolve(ref, document):
    while isinstance(ref, dict) and "$ref" in ref:
        node = document
        for part in ref["$ref"].lstrip("#/").split("/"):
            node = node[part]
        ref = node
    return ref


def _sample(schema, document):
    """A plausible value for a JSON schema: enough to get past validation to the scope check."""
    schema = _resolve(schema, document)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if _resolve(s, document).get("type") != "null"]
            return _sample(options[0] if options else schema[key][0], document)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    fmt = schema.get("format", "")
    if kind == "object" or "properties" in schema:
        required = set(schema.get("required", []))
        return {
            name: _sample(sub, document)
            for name, sub in schema.get("properties", {}).items()
            if name in required
        }
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if fmt == "date":
        return (timezone.localdate() + timedelta(days=5)).isoformat()
    if fmt == "date-time":
        return (timezone.now() - timedelta(hours=1)).isoformat()
    if fmt == "binary":
        return "FILE"
    if fmt == "decimal" or schema.get("pattern", "").startswith("^(?!^[-+.]*$)"):
        return "1"
    return "x"


def _call_api(client: ApiClient, method, url, operation, document):
    body = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in body:
        data = _sample(body["multipart/form-data"]["schema"], document)
        data = {k: (open_png() if v == "FILE" else v) for k, v in data.items()}
        return client.client.generic(method.upper(), url, **_multipart(data), headers=client.headers)
    payload = json.dumps(_sample(body["application/json"]["schema"], document)) if body else ""
    return client.client.generic(
        method.upper(), url, payload, content_type="application/json", headers=client.headers
    )


def open_png():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("p.png", PNG, content_type="image/png")


def _multipart(data):
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    return {"data": encode_multipart(BOUNDARY, data), "content_type": MULTIPART_CONTENT}


def _fill(template: str, values: dict) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def _assert_hidden(response, missing, label):
    status = response.status_code
    assert status < 500, f"{label}: server error {status}"
    assert not 200 <= status < 400, (
        f"{label}: answered {status}; an outsider must get 404. Body: {response.content[:300]!r}"
    )
    assert b"SECRET" not in response.content, f"{label}: the answer shows the hidden object"
    assert status == missing.status_code, (
        f"{label}: answered {status} but a non-existent id gets {missing.status_code}: that tells existence apart"
    )


@pytest.mark.parametrize(("path", "method", "operation", "document"), list(api_operations()))
def test_api_route_hides_out_of_scope_objects(world, path, method, operation, document):
    params = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "path"]
    kinds = {param: _api_kind(path, param) for param in params}
    if all(kind == PUBLIC for kind in kinds.values()):
        return  # reference data, readable by everyone
    for viewer, (_ent, why) in VIEWERS.items():
        filler = Filler(world, viewer)
        values = {
            p: (k[1] if isinstance(k, tuple) else filler.value(k)) for p, k in kinds.items() if k != PUBLIC
        }
        fake = {p: (k[1] if isinstance(k, tuple) else MISSING_ID) for p, k in kinds.items() if k != PUBLIC}
        client = ApiClient(getattr(world, viewer))
        response = _call_api(client, method, _fill(path, values), operation, document)
        missing = _call_api(client, method, _fill(path, fake), operation, document)
        label = f"{method.upper()} {path} as {viewer} ({why})"
        _assert_hidden(response, missing, label)
        if method == "get":
            assert response.status_code == 404, f"{label}: answered {response.status_code}, expected 404"


@pytest.mark.parametrize(("route", "namespace", "name", "params"), list(page_routes()))
def test_page_route_hides_out_of_scope_objects(world, route, namespace, name, params):
    kinds = {param: _page_kind(namespace, name, param) for param in params}
    if all(kind == PUBLIC for kind in kinds.values()):
        return  # reference material, readable by everyone
    for viewer, (_ent, why) in VIEWERS.items():
        filler = Filler(world, viewer)
        values = {p: filler.value(k) for p, k in kinds.items()}
        url = "/" + route
        real, fake = url, url
        for param in params:
            real = real.replace(_token(route, param), str(values[param]))
            fake = fake.replace(_token(route, param), str(MISSING_ID))
        client = Client()
        client.force_login(getattr(world, viewer))
        for method in ("get", "post"):
            response = getattr(client, method)(real)
            missing = getattr(client, method)(fake)
            label = f"{method.upper()} {real} ({namespace}:{name}) as {viewer} ({why})"
            _assert_hidden(response, missing, label)


def _token(route: str, param: str) -> str:
    start = route.index(f":{param}>") if f":{param}>" in route else route.index(f"<{param}>")
    start = route.rindex("<", 0, start + 1)
    end = route.index(">", start) + 1
    return route[start:end]
