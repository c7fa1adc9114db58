"""Property-based fuzzing of the whole JSON API from its own OpenAPI document.

Every operation, as every role in turn: no 5xx, every response matches the documented schema,
status code, content type and headers, and schema-violating requests are refused. New
operations are picked up from the document automatically.
"""

import itertools

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from worksafe.core.testing import bearer

APP = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)
# "Positive data acceptance" expects every schema-valid request to succeed; ours are refused
# by rules the schema cannot express (an id that does not exist, a role that may not act),
# answered 403/404/422 as documented. Every other check runs.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]

# The people of the `world` fixture whose scopes differ most; examples take turns.
ROLES = ["admin", "office", "inspector", "officer_a", "expert", "leader"]


@pytest.fixture(autouse=True)
def keep_test_connection():
    """Requests go straight into the WSGI handler, whose end-of-request hook would close the
    connection holding the test's transaction (PostgreSQL); Django's test client unhooks it
    the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def people(world):
    # Objects in scope of each role, so ids the fuzzer tries can hit real rows.
    world.make_hazard()
    world.make_hazard(enterprise=world.enterprise_b, level="major")
    world.make_hazard(actor=world.officer_a, source="self_check")
    return itertools.cycle([getattr(world, name) for name in ROLES])


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms_for_every_role(case, people):
    # A fresh token each time: an example may revoke the one it carries.
    user = next(people)
    case.call_and_validate(headers={"Authorization": f"Bearer {bearer(user)}"}, excluded_checks=EXCLUDED)
