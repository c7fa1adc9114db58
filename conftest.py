import pytest

from worksafe.core.testing import ApiClient, World


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def api():
    """api(user) -> a JSON client authenticated with that user's bearer token."""
    return ApiClient
