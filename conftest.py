import pytest

from worksafe.core.testing import ApiClient, World


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def api():
    """api(user) -> a JSON client authenticated with that user's bearer token."""
    return ApiClient


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
