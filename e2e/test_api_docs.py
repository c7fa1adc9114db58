"""The interactive API docs in a real browser: offline, under the site's strict CSP."""

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LOCAL = {"localhost", "127.0.0.1"}


def test_s10_api_docs_render_from_our_own_assets_under_the_csp(browser, live_server, shot):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    elsewhere: list[str] = []

    def only_local(route):
        if urlsplit(route.request.url).hostname in LOCAL:
            route.continue_()
        else:  # an intranet has no internet: count the attempt and refuse it
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(str(error)))
    page.goto("/api/v1/docs")
    page.locator(".opblock-summary-path", has_text="/api/v1/hazards").first.wait_for()
    page.wait_for_load_state("networkidle")
    shot(page, "api-docs")
    assert page.locator(".opblock").count() > 50  # every operation is listed
    assert elsewhere == []
    assert [line for line in console if "Content Security Policy" in line] == []
    context.close()
