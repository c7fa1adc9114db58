from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from worksafe.accidents.services import accident_create
from worksafe.assessment.models import Period
from worksafe.assessment.services import period_compute, period_create, subject_add

pytestmark = pytest.mark.frozen_at("2026-06-30 04:00:00+00:00")  # noon in Dalian, end of the half-year


@pytest.fixture
def period(world, frozen):
    period = period_create(
        actor=world.office,
        name="2026年度考核",
        region="210200",
        starts_on=datetime(2026, 1, 1).date(),
        ends_on=datetime(2026, 12, 31).date(),
    )
    for code in ("210202", "210211"):
        subject_add(actor=world.office, period_id=period.pk, kind="region", region=code)
    accident_create(
        actor=world.admin,
        occurred_at=datetime(2026, 4, 1, 2, 0, tzinfo=UTC),
        region="210211",
        industry="hazardous_chemicals",
        deaths=3,
        serious_injuries=0,
        direct_economic_loss=Decimal(0),
    )
    period_compute(actor=world.office, period_id=period.pk)
    return period


def test_ranking_page_with_bars_and_veto(page, world, period, django_assert_max_num_queries):
    client = page(world.office)
    with django_assert_max_num_queries(15):
        shown = client.get(reverse("assessment:detail", args=[period.pk]))
    html = shown.content.decode()
    assert shown.status_code == 200
    assert "asm-bar-vetoed" in html and 'class="w-' in html
    assert "style=" not in html
    assert page(world.outsider).get(reverse("assessment:detail", args=[period.pk])).status_code == 404
    assert (
        reverse("assessment:detail", args=[period.pk])
        in client.get(reverse("assessment:list")).content.decode()
    )
    export = client.get(reverse("assessment:export", args=[period.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_publish_from_page(page, world, period):
    client = page(world.office)
    url = reverse("assessment:transition", args=[period.pk])
    period.refresh_from_db()
    assert client.post(url, {"action": "publish", "version": period.version}).status_code == 302
    period.refresh_from_db()
    assert period.status == Period.Status.PUBLISHED
    assert page(world.office_gjz).get(reverse("assessment:detail", args=[period.pk])).status_code == 200
    assert page(world.office_gjz).post(reverse("assessment:compute", args=[period.pk])).status_code == 403


def test_create_period_page(page, world, frozen):
    client = page(world.office)
    r = client.post(
        reverse("assessment:create"),
        {"name": "x", "region": "230100", "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
    )
    assert r.status_code == 422 and "230100" in r.content.decode()
    r = client.post(
        reverse("assessment:create"),
        {"name": "年度考核", "region": "210200", "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
    )
    assert r.status_code == 302
    assert Period.objects.get().indicators.count() == 7
    assert page(world.officer_a).get(reverse("assessment:create")).status_code == 403


def test_subject_and_manual_score_forms(page, world, period):
    client = page(world.office)
    r = client.post(
        reverse("assessment:subject_add", args=[period.pk]), {"kind": "region", "region": "230100"}
    )
    assert r.status_code == 422
    r = client.post(
        reverse("assessment:subject_add", args=[period.pk]), {"kind": "region", "region": "210203"}
    )
    assert r.status_code == 302
    subject = period.subjects.first()
    manual = period.indicators.get(metric="manual")
    r = client.post(
        reverse("assessment:manual_score", args=[period.pk]),
        {"subject": subject.pk, "indicator": manual.pk, "score": "8", "evidence": "责任书全部签订"},
    )
    assert r.status_code == 302


def test_a_district_office_gets_no_reopen_button_on_the_citys_period(page, world, period):
    from worksafe.assessment.services import period_transition

    period_transition(actor=world.office, period_id=period.pk, action="publish", version=period.version + 1)
    district = page(world.office_gjz)
    response = district.get(reverse("assessment:detail", args=[period.pk]))
    assert response.status_code == 200
    assert response.context["may_reopen"] is False
    assert 'value="reopen"' not in response.content.decode()
    assert page(world.office).get(reverse("assessment:detail", args=[period.pk])).context["may_reopen"]


def test_indicators_are_added_and_reweighed_on_the_page(page, world, period):
    office = page(world.office)
    added = office.post(
        reverse("assessment:indicator_add", args=[period.pk]),
        {"name": "专项整治完成率", "metric": "manual", "rule": "manual", "weight": "5"},
    )
    assert added.status_code == 302
    indicator = period.indicators.get(name="专项整治完成率")
    url = reverse("assessment:indicator_update", args=[period.pk, indicator.pk])
    assert office.post(url, {"weight": "8.5"}).status_code == 302
    indicator.refresh_from_db()
    assert indicator.weight == Decimal("8.5")
    assert office.post(url, {"weight": "-1"}).status_code == 302  # refused with a message
    indicator.refresh_from_db()
    assert indicator.weight == Decimal("8.5")
    assert page(world.office_gjz).post(url, {"weight": "9"}).status_code == 404
    assert page(world.leader).post(url, {"weight": "9"}).status_code == 403
    bad = office.post(
        reverse("assessment:indicator_add", args=[period.pk]),
        {"name": "错配", "metric": "accidents", "rule": "manual", "weight": "5"},
    )
    assert bad.status_code == 422 and "rule" in bad.context["indicator_form"].errors
