"""Money is kept in fen: every page, endpoint and service reads an amount with parse_money, and
a third decimal place is refused (422 naming the field), never rounded away."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from worksafe.accidents.models import Accident, Decision
from worksafe.accidents.services import accident_create, decision_create
from worksafe.core.errors import Invalid, parse_money
from worksafe.hazards.models import Hazard
from worksafe.hazards.services import hazard_plan
from worksafe.inspections.models import Enforcement
from worksafe.inspections.services import enforcement_create


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1250000.00", Decimal("1250000.00")), (12, Decimal("12.00")), ("-0", Decimal("0.00")), ("", None)],
)
def test_parse_money_reads_yuan_and_fen(value, expected):
    errors: dict = {}
    assert parse_money(value, "amount", errors) == expected
    assert errors == {}


@pytest.mark.parametrize("value", ["1.005", "abc", "-1", "1e12", "NaN", "Infinity"])
def test_parse_money_refuses_naming_the_field(value):
    errors: dict = {}
    assert parse_money(value, "amount", errors) is None
    assert list(errors) == ["amount"]


def test_parse_money_blank_when_required():
    errors: dict = {}
    assert parse_money(None, "funds", errors, required=True) is None
    assert list(errors) == ["funds"]


SUB_FEN = "5000.005"


def _refused(call, field: str) -> None:
    with pytest.raises(Invalid) as caught:
        call()
    assert field in caught.value.errors


def test_every_service_refuses_a_third_decimal_place(world):
    hazard = world.make_hazard()
    _refused(lambda: hazard_plan(actor=world.office, hazard_id=hazard.pk, version=1, funds=SUB_FEN), "funds")
    assert Hazard.objects.get(pk=hazard.pk).plan_funds is None
    _refused(
        lambda: enforcement_create(
            actor=world.inspector, target=world.enterprise_a.pk, kind="fine", amount=SUB_FEN, legal_basis="x"
        ),
        "amount",
    )
    assert not Enforcement.objects.exists()
    when = timezone.now() - timedelta(hours=1)
    figures = {"occurred_at": when, "region": "210202", "industry": "hazardous_chemicals", "deaths": 0}
    _refused(
        lambda: accident_create(
            actor=world.office, serious_injuries=1, direct_economic_loss=SUB_FEN, **figures
        ),
        "direct_economic_loss",
    )
    accident = accident_create(actor=world.office, serious_injuries=1, direct_economic_loss="1000", **figures)
    _refused(
        lambda: decision_create(
            actor=world.office,
            accident_id=accident.pk,
            subject="enterprise",
            kind="administrative_fine",
            basis="第114条",
            amount=SUB_FEN,
            outside_range_reason="x",
        ),
        "amount",
    )
    assert Accident.objects.count() == 1 and not Decision.objects.exists()


def test_every_endpoint_refuses_a_third_decimal_place(world, api):
    hazard = world.make_hazard()
    response = api(world.office).post(f"/api/v1/hazards/{hazard.pk}/plan", {"version": 1, "funds": SUB_FEN})
    assert response.status_code == 422 and "funds" in response.json()["errors"]
    body = {"target": world.enterprise_a.pk, "kind": "fine", "amount": SUB_FEN, "legal_basis": "x"}
    response = api(world.inspector).post("/api/v1/enforcement", body)
    assert response.status_code == 422 and "amount" in response.json()["errors"]
    report = {
        "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "region": "210202",
        "industry": "hazardous_chemicals",
        "deaths": 0,
        "serious_injuries": 1,
        "direct_economic_loss": SUB_FEN,
    }
    response = api(world.office).post("/api/v1/accidents", report)
    assert response.status_code == 422 and "direct_economic_loss" in response.json()["errors"]


def test_every_page_refuses_a_third_decimal_place(world, client):
    hazard = world.make_hazard()
    client.force_login(world.office)
    response = client.post(f"/hazards/{hazard.pk}/plan/", {"version": 1, "funds": SUB_FEN})
    assert "funds" in response.context["form"].errors
    client.force_login(world.inspector)
    body = {"target": world.enterprise_a.pk, "kind": "fine", "amount": SUB_FEN, "legal_basis": "x"}
    response = client.post("/inspections/enforcement/new/", body)
    assert "amount" in response.context["form"].errors
    assert Hazard.objects.get(pk=hazard.pk).plan_funds is None and not Enforcement.objects.exists()
