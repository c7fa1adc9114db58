"""Property-based fuzzing of the whole JSON API from its own OpenAPI document.

Every operation, as every role in turn and anonymously: no 5xx, every response matches the
documented schema, status code, content type and headers, and schema-violating requests are
refused. Then stateful sequences, as each role and anonymously: schemathesis links operations
from the document (what one creates, the next reads or changes) and checks that what was
created can be used, and what was deleted cannot. New operations are picked up automatically.

`make test` runs a small, derandomized sample. `make fuzz` runs FUZZ_EXAMPLES examples per
operation and as many stateful scenarios per role, randomly seeded, and prints per role the
calls made, the 5xx answers and the failed checks (schema violations).
"""

import itertools
import os
from collections import Counter, defaultdict

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import IntegrityError, connection
from hypothesis import HealthCheck, settings

from worksafe.testing import bearer

APP = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)
# "Positive data acceptance" expects every schema-valid request to succeed; ours are refused
# by rules the schema cannot express (an id that does not exist, a role that may not act),
# answered 403/404/422 as documented. Every other check runs.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]

# The people of the `world` fixture whose scopes differ most, and nobody (no credentials).
ROLES = ["admin", "office", "inspector", "officer_a", "expert", "leader", "anonymous"]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0"))
FUZZING = EXAMPLES > 0
SETTINGS = settings(
    deadline=None,
    derandomize=not FUZZING,  # the suite is reproducible; `make fuzz` explores
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)

# role -> Counter(calls, 5xx, violations); printed by this folder's conftest at the end.
FIGURES: defaultdict[str, Counter] = defaultdict(Counter)


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
    return {role: getattr(world, role, None) for role in ROLES}


def credentials(user) -> dict:
    # A fresh token for every call: an earlier call may have revoked the one it carried.
    return {"Authorization": f"Bearer {bearer(user)}"} if user else {}


# Cases whose generated Authorization header was replaced by a real token: sent with valid
# credentials, they are no longer invalid data, so the check that invalid data is refused does
# not apply to them.
REAUTHORIZED: set[int] = set()


def call(case, role: str, **kwargs):
    """Call the API as `role`, counting the call. Foreign keys are checked at once: the test's
    transaction is never committed, so a row naming one that does not exist, which PostgreSQL
    refuses at commit (a 500 in production), would otherwise go unseen."""
    if (case.headers or {}).pop("Authorization", None) is not None:
        REAUTHORIZED.add(id(case))
    response = case.call(**kwargs)
    FIGURES[role]["calls"] += 1
    try:
        connection.check_constraints()
    except IntegrityError:
        FIGURES[role]["5xx"] += 1
        raise
    FIGURES[role]["5xx"] += response.status_code >= 500
    return response


def check(case, response, role: str, **kwargs) -> None:
    """Check the answer against the document, counting a failed check. The credentials sent
    must be passed as `headers`, or the auth check takes the generated ones for those used."""
    excluded = EXCLUDED
    if id(case) in REAUTHORIZED:
        REAUTHORIZED.discard(id(case))
        excluded = [*EXCLUDED, schemathesis.checks.negative_data_rejection]
    try:
        case.validate_response(response, excluded_checks=excluded, **kwargs)
    except Exception:
        FIGURES[role]["violations"] += response.status_code < 500
        raise


@schema.parametrize()
@settings(SETTINGS, max_examples=EXAMPLES or 10)
def test_api_conforms_for_every_role(case, people, turns):
    role = next(turns)
    headers = credentials(people[role])
    check(case, call(case, role, headers=headers), role, headers=headers)


@pytest.fixture
def turns():
    # Roles take turns, so each operation is tried by every role and anonymously.
    return itertools.cycle(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_stateful_sequences_conform_for_every_role(role, people):
    user = people[role]

    class Sequences(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": credentials(user)}

        def call(self, case, **kwargs):
            return call(case, role, **kwargs)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # The recorder lets the stateful checks see earlier steps (a created resource is
            # there; a deleted one is gone).
            check(case, response, role, additional_checks=additional_checks, recorder=self.recorder, **kwargs)

    Sequences.run(settings=settings(SETTINGS, max_examples=EXAMPLES or 3, stateful_step_count=10))
