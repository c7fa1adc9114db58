"""The enforcement form shows the amount only for a fine (static script, no inline code)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_amount_shows_only_for_a_fine(world, open_as):
    page = open_as("inspector", phone=True)
    page.goto(f"/inspections/enforcement/new/?target={world.enterprise_a.pk}")
    amount = page.locator("#id_amount")
    receiver = page.locator("#id_referred_to")
    page.select_option("#id_kind", "fine")
    expect(amount).to_be_visible()
    expect(receiver).to_be_hidden()
    page.select_option("#id_kind", "order_rectify")
    expect(amount).to_be_hidden()
    page.select_option("#id_kind", "referral")
    expect(receiver).to_be_visible()
    expect(amount).to_be_hidden()
