"""Cancelling a hidden danger in a real browser: a blank reason is marked at the field before
anything is asked, and the question names the action and the hidden danger."""

import pytest

from worksafe.hazards.models import Hazard

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_blank_reason_is_marked_before_any_question(world, open_as):
    hazard = world.make_hazard()
    page = open_as("office")
    questions = []
    page.on("dialog", lambda dialog: questions.append(dialog.message))  # open_as accepts it
    page.goto(f"/hazards/{hazard.pk}/")
    form = page.locator("form.action-cancel")

    form.locator("#cancel_note").fill("   ")
    form.locator("button[type=submit]").click()
    assert questions == []
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.REPORTED
    assert form.locator("#cancel_note").evaluate("el => !el.validity.valid")

    form.locator("#cancel_note").fill("重复登记")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert questions == [f"Cancel — {hazard.number}: are you sure?"]
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.CANCELLED
