"""Real Chromium (Debian's package) driven by Playwright against pytest-django's live server.

No browser is ever downloaded: the tests use the system Chromium and skip, loudly, without it.
Screenshots of the key pages go to test-artifacts/screenshots/.
"""

import os
import shutil
from importlib import import_module
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct-horse-battery"


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return
    if os.environ.get("WORKSAFE_REQUIRE_BROWSER"):  # CI: a skipped browser suite is a failure
        raise pytest.UsageError(f"WORKSAFE_REQUIRE_BROWSER is set but there is no Chromium at {CHROMIUM}.")
    skip = pytest.mark.skip(
        reason=f"!!! BROWSER TESTS SKIPPED: no Chromium at {CHROMIUM}. Install Debian's chromium "
        "(scripts/apt-install chromium fonts-noto-cjk) or set CHROMIUM=/path/to/chromium. !!!"
    )
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in the test thread while the browser is open;
    # the ORM calls the tests make between browser steps are ordinary synchronous code. The
    # permission ends with the module, together with the browser.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def shot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def open_as(browser, live_server):
    """open_as(username, phone=False, locale="en-US") -> a signed-in page."""
    contexts = []

    def open_page(username: str, *, phone: bool = False, locale: str = "en-US"):
        options = {"locale": locale, "base_url": live_server.url}
        if phone:
            options.update(
                viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2
            )
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # "Are you sure?" before reject/cancel
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def world(live_server, transactional_db):
    """The named people, created once the live server (and its transactional database) is up."""
    from django.apps import apps
    from django.db import connection

    from worksafe.regions.models import Region
    from worksafe.testing import World

    # After another transactional test the database can be left flushed; put back the
    # reference data migrations loaded (regions, checklists) before building the people.
    if not Region.objects.exists():
        if hasattr(connection, "_test_serialized_contents"):
            connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
        else:
            for loader in REFERENCE_DATA:
                import_module(loader).load(apps, None)
    return World()


# The data migrations that load reference data, run again when a flush removed it.
REFERENCE_DATA = [
    "worksafe.regions.migrations.0002_load_regions",
    "worksafe.inspections.migrations.0002_load_checklists",
]
