"""The enforcement form shows the amount only for a fine (static script, no inline code)."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_amount_shows_only_for_a_fine(world, open_as):
    page = open_as("inspector", phone=True)
    page.goto(f"/inspections/enforcement/new/?target={world.enterprise_a.pk}")
    amount = page.locator("#id_amount")
    receiver = page.locator("#id_referred_to")
    page.select_option("#id_kind", "fine")
    assert amount.is_visible() and not receiver.is_visible()
    page.select_option("#id_kind", "order_rectify")
    assert not amount.is_visible()
    page.select_option("#id_kind", "referral")
    assert receiver.is_visible() and not amount.is_visible()
