import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from worksafe.testing import ApiClient, World

# Noon in Dalian on an ordinary working day; a module or test names its own instant with
# @pytest.mark.frozen_at(...) when its dates depend on it.
FROZEN_AT = "2026-03-10 04:00:00+00:00"


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def api():
    """api(user) -> a JSON client authenticated with that user's bearer token."""
    return ApiClient


@pytest.fixture
def page():
    """page(user) -> a page client (its own session) signed in as that user."""

    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def frozen(request):
    """Time stands still at the closest `frozen_at` mark (or FROZEN_AT); yields the traveller,
    so a test can move_to() or shift() the clock."""
    marker = request.node.get_closest_marker("frozen_at")
    with time_machine.travel(marker.args[0] if marker else FROZEN_AT, tick=False) as traveller:
        yield traveller


@pytest.fixture
def count_queries():
    """count_queries(callable) -> how many queries the call ran; the call must answer 200, as
    the count of an error page says nothing about the page."""

    def run(call) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = call()
        assert response.status_code == 200, response.content[:300]
        return len(ctx.captured_queries)

    return run


def pytest_collection_modifyitems(items):
    # A transactional test empties the database when it ends, reference data that migrations
    # load (regions, checklists) included; serialized rollback puts that data back for the next
    # one. Make it the default for every transactional test.
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and "serialized_rollback" not in marker.kwargs:
            item.add_marker(
                pytest.mark.django_db(*marker.args, **marker.kwargs, serialized_rollback=True), append=False
            )
