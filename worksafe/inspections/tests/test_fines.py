"""A fine lies within the range its legal basis allows (domain.md §5), else under a cap."""

from decimal import Decimal

import pytest
from django.test import override_settings

from worksafe.inspections.models import Enforcement
from worksafe.inspections.penalties import BY_CODE, FINE_RANGES

URL = "/api/v1/enforcement"
GENERAL_ACCIDENT = "wsl2021-114-1"  # 300,000 – 1,000,000 yuan


def fine(world, amount, **extra):
    return {"target": world.enterprise_a.pk, "kind": "fine", "amount": amount, **extra}


@pytest.mark.parametrize(
    ("amount", "created"),
    [
        ("300000.00", True),  # the minimum
        ("1000000.00", True),  # the maximum
        ("299999.99", False),  # just below
        ("1000000.01", False),  # just above
    ],
)
def test_a_fine_with_a_listed_article_stays_in_its_range(world, api, amount, created):
    response = api(world.inspector).post(URL, fine(world, amount, legal_article=GENERAL_ACCIDENT))
    if created:
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["legal_article"] == GENERAL_ACCIDENT
        # no text typed: the article itself is cited
        assert body["legal_basis"] == BY_CODE[GENERAL_ACCIDENT].citation
    else:
        assert response.status_code == 422
        message = response.json()["errors"]["amount"][0]
        assert "¥300,000.00" in message and "¥1,000,000.00" in message
        assert not Enforcement.objects.exists()


@pytest.mark.parametrize(("amount", "created"), [("50000.00", True), ("50000.01", False)])
def test_an_article_with_only_an_upper_limit(world, api, amount, created):
    response = api(world.inspector).post(
        URL, fine(world, amount, legal_article="wsl2021-102", legal_basis="第一百零二条，另附说明")
    )
    assert response.status_code == (201 if created else 422), response.content
    if created:
        assert response.json()["legal_basis"] == "第一百零二条，另附说明"  # typed text is kept
    else:
        assert "¥50,000.00" in response.json()["errors"]["amount"][0]


@override_settings(WORKSAFE_FINE_CAP_YUAN=200_000)
@pytest.mark.parametrize(("amount", "created"), [("200000.00", True), ("200000.01", False)])
def test_a_free_text_basis_is_bounded_by_the_configured_cap(world, api, amount, created):
    response = api(world.inspector).post(URL, fine(world, amount, legal_basis="某地方性法规第十条"))
    assert response.status_code == (201 if created else 422), response.content
    if not created:
        assert "¥200,000.00" in response.json()["errors"]["amount"][0]


def test_the_review_fine_of_a_billion_is_refused_by_default(world, api):
    response = api(world.inspector).post(URL, fine(world, "999999999", legal_basis="《安全生产法》"))
    assert response.status_code == 422 and "amount" in response.json()["errors"]


@pytest.mark.parametrize(
    ("extra", "field"), [({"amount": "0"}, "amount"), ({"legal_article": "art-999"}, "legal_article")]
)
def test_zero_fines_and_unknown_articles_are_422(world, api, extra, field):
    body = {**fine(world, "1000", legal_basis="第一百零二条"), **extra}
    response = api(world.inspector).post(URL, body)
    assert response.status_code == 422 and field in response.json()["errors"]
    assert not Enforcement.objects.exists()


def test_the_articles_are_listed_with_their_ranges(world, api):
    body = api(world.inspector).get(f"{URL}/legal-articles").json()
    codes = {item["code"]: item for item in body["items"]}
    assert set(codes) == {a.code for a in FINE_RANGES}
    assert Decimal(codes[GENERAL_ACCIDENT]["minimum"]) == 300_000
    assert codes["order16-26"]["minimum"] is None and Decimal(codes["order16-26"]["maximum"]) == 30_000


def test_the_page_answers_the_same_range_on_the_amount_field(world, client):
    client.force_login(world.inspector)
    data = {
        "target": world.enterprise_a.pk,
        "kind": "fine",
        "amount": "1000000.01",
        "legal_article": GENERAL_ACCIDENT,
    }
    response = client.post("/inspections/enforcement/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "¥1,000,000.00" in html and "insp-error" in html
    assert not Enforcement.objects.exists()
    data["amount"] = "1000000.00"
    data["number"] = "(大)应急罚〔2026〕12号"
    assert client.post("/inspections/enforcement/new/", data).status_code == 302


def test_cards_show_grouped_amount_date_number_and_no_dangling_dot(world, client, api):
    api(world.inspector).post(
        URL, fine(world, "1000000", legal_article=GENERAL_ACCIDENT, number="罚〔2026〕7号")
    )
    api(world.inspector_zs).post(
        URL, {"target": world.enterprise_a.pk, "kind": "referral", "referred_to": world.dept_em.pk}
    )
    client.force_login(world.inspector)
    client.cookies["django_language"] = "zh-hans"
    html = client.get("/inspections/enforcement/").content.decode()
    assert "¥1,000,000.00" in html and "罚〔2026〕7号" in html
    referral = html.split("中山区应急管理局", 1)[1].split("</small>", 1)[0]
    assert "大连市应急管理局" in referral and not referral.rstrip().endswith("·")


def test_the_form_marks_the_amount_for_fines_only(world, client):
    client.force_login(world.inspector)
    html = client.get("/inspections/enforcement/new/").content.decode()
    assert 'name="amount"' in html and 'data-for-kinds="fine"' in html
    assert "<script>" not in html  # the toggle is the static script, never inline
