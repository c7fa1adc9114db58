"""The plan's deadline lies between today and the hazard's due date; the page can clear a field."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from worksafe.hazards.models import Hazard


def plan_url(hazard):
    return f"/api/v1/hazards/{hazard.pk}/plan"


@pytest.mark.parametrize(
    ("days", "accepted"),
    [(-1, False), (0, True), ("due", True), ("due+1", False)],
    ids=["yesterday", "today", "due-date", "day-after-due"],
)
def test_api_deadline_between_today_and_the_due_date(world, api, days, accepted):
    hazard = world.make_hazard(level="major")
    today = timezone.localdate()
    deadline = {
        "due": hazard.due_date,
        "due+1": hazard.due_date + timedelta(days=1),
    }.get(days, today + timedelta(days=days if isinstance(days, int) else 0))
    response = api(world.office).post(plan_url(hazard), {"version": 1, "deadline": deadline.isoformat()})
    assert response.status_code == (200 if accepted else 422), response.content
    hazard.refresh_from_db()
    if accepted:
        assert hazard.plan_deadline == deadline
    else:
        assert "deadline" in response.json()["errors"]
        assert hazard.plan_deadline is None and hazard.version == 1


def test_the_page_refuses_a_deadline_in_the_past_on_the_field(world, client):
    hazard = world.make_hazard(level="major")
    client.force_login(world.office)
    response = client.post(
        reverse("hazards:plan", args=[hazard.pk]), {"version": 1, "deadline": "2020-01-01"}
    )
    assert response.status_code == 200 and "deadline" in response.context["form"].errors
    assert Hazard.objects.get(pk=hazard.pk).version == 1


def test_the_page_clears_funds_and_deadline_left_blank(world, client):
    hazard = world.make_hazard(level="major")
    client.force_login(world.office)
    url = reverse("hazards:plan", args=[hazard.pk])
    full = {"version": 1, "measures": "更换阀门", "funds": "100", "deadline": hazard.due_date.isoformat()}
    assert client.post(url, full).status_code == 302
    blanked = {**full, "version": 2, "funds": "", "deadline": ""}
    assert client.post(url, blanked).status_code == 302
    hazard.refresh_from_db()
    assert hazard.plan_funds is None and hazard.plan_deadline is None
    assert hazard.plan_measures == "更换阀门"


def test_the_page_shows_no_stray_version_label(world, client):
    hazard = world.make_hazard(level="major")
    client.force_login(world.office)
    html = client.get(reverse("hazards:plan", args=[hazard.pk])).content.decode()
    assert "Version" not in html and 'name="version"' in html


def test_api_omitted_fields_keep_their_value_and_null_clears(world, api):
    hazard = world.make_hazard(level="major")
    office = api(world.office)
    body = office.post(plan_url(hazard), {"version": 1, "funds": "100", "measures": "更换"}).json()
    body = office.post(plan_url(hazard), {"version": body["version"], "measures": "更换阀门"}).json()
    assert body["plan"]["funds"] == "100.00"
    body = office.post(plan_url(hazard), {"version": body["version"], "funds": None}).json()
    assert body["plan"]["funds"] is None and body["plan"]["measures"] == "更换阀门"


def test_a_deadline_that_has_since_passed_does_not_block_other_edits(world, client):
    hazard = world.make_hazard(level="major")
    client.force_login(world.office)
    url = reverse("hazards:plan", args=[hazard.pk])
    deadline = timezone.localdate() + timedelta(days=2)
    assert client.post(url, {"version": 1, "deadline": deadline.isoformat()}).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(days=5)):
        client.force_login(world.office)  # a fresh session: the first one has expired
        # the page sends the stored deadline back unchanged with the new measures
        response = client.post(url, {"version": 2, "deadline": deadline.isoformat(), "measures": "加装围栏"})
    assert response.status_code == 302 and response["Location"].endswith(f"/{hazard.pk}/")
    assert Hazard.objects.get(pk=hazard.pk).plan_measures == "加装围栏"
