from datetime import date
from decimal import Decimal

import pytest

from worksafe.accidents.models import AuthorityLevel, Grade
from worksafe.accidents.rules import fine_range, grade_for, law_in_force, report_chain

G, L, S, P = Grade.GENERAL, Grade.LARGER, Grade.SERIOUS, Grade.PARTICULARLY_SERIOUS


@pytest.mark.parametrize(
    ("deaths", "injuries", "loss", "expected"),
    [
        # deaths at each boundary
        (0, 0, "0", G),
        (2, 0, "0", G),
        (3, 0, "0", L),
        (9, 0, "0", L),
        (10, 0, "0", S),
        (29, 0, "0", S),
        (30, 0, "0", P),
        # serious injuries at each boundary
        (0, 9, "0", G),
        (0, 10, "0", L),
        (0, 49, "0", L),
        (0, 50, "0", S),
        (0, 99, "0", S),
        (0, 100, "0", P),
        # direct economic loss at each boundary (yuan)
        (0, 0, "9999999.99", G),
        (0, 0, "10000000", L),
        (0, 0, "49999999.99", L),
        (0, 0, "50000000.00", S),
        (0, 0, "99999999.99", S),
        (0, 0, "100000000", P),
        # the highest criterion wins (domain.md §1.1 examples)
        (1, 12, "0", L),
        (2, 9, "9999999.99", G),
        (29, 99, "99990000", S),
        (0, 0, "100000000", P),
        (2, 50, "0", S),
        (31, 0, "1", P),
    ],
)
def test_grade_thresholds(deaths, injuries, loss, expected):
    assert (
        grade_for(deaths=deaths, missing=0, serious_injuries=injuries, direct_economic_loss=Decimal(loss))
        == expected
    )


@pytest.mark.parametrize(
    ("deaths", "missing", "expected"),
    [(2, 0, G), (2, 1, L), (0, 3, L), (9, 1, S), (8, 1, L), (20, 10, P), (29, 0, S)],
)
def test_missing_count_with_deaths(deaths, missing, expected):
    assert (
        grade_for(deaths=deaths, missing=missing, serious_injuries=0, direct_economic_loss=Decimal(0))
        == expected
    )


def test_report_chain_reaches_the_right_level():
    top = {grade: report_chain(grade)[-1].to_level for grade in Grade.values}
    assert top == {
        G: AuthorityLevel.CITY,
        L: AuthorityLevel.PROVINCE,
        S: AuthorityLevel.STATE_COUNCIL,
        P: AuthorityLevel.STATE_COUNCIL,
    }
    chain = report_chain(L)
    assert [(s.from_level, s.to_level, s.hours) for s in chain] == [
        ("unit", "county", 1),
        ("county", "city", 2),
        ("city", "province", 2),
    ]


def test_law_version_in_force_by_date():
    assert law_in_force(date(2021, 8, 31)).code == "2014"
    assert law_in_force(date(2021, 9, 1)).code == "2021"
    assert law_in_force(date(2014, 12, 1)).code == "2014"
    assert law_in_force(date(2014, 11, 30)) is None


WAN = Decimal(10_000)


@pytest.mark.parametrize(
    ("grade", "on", "low", "high"),
    [
        (G, date(2022, 1, 1), 30, 100),
        (L, date(2022, 1, 1), 100, 200),
        (S, date(2022, 1, 1), 200, 1000),
        (P, date(2022, 1, 1), 1000, 2000),
        (G, date(2020, 1, 1), 20, 50),
        (L, date(2020, 1, 1), 50, 100),
        (S, date(2020, 1, 1), 100, 500),
        (P, date(2020, 1, 1), 500, 1000),
    ],
)
def test_unit_fine_ranges_by_law_version(grade, on, low, high):
    found = fine_range(grade=grade, accident_date=on, subject="enterprise")
    assert (found.minimum, found.maximum) == (low * WAN, high * WAN)
    assert found.law_version == ("2021" if on.year >= 2022 else "2014")


def test_aggravated_ranges():
    grave = fine_range(grade=P, accident_date=date(2022, 1, 1), subject="enterprise", aggravated=True)
    assert (grave.minimum, grave.maximum) == (2000 * WAN, 10_000 * WAN)  # capped at 100 million
    grave_2014 = fine_range(grade=P, accident_date=date(2020, 1, 1), subject="enterprise", aggravated=True)
    assert (grave_2014.minimum, grave_2014.maximum) == (1000 * WAN, 2000 * WAN)


@pytest.mark.parametrize(
    ("grade", "on", "pct"),
    [
        (G, date(2022, 1, 1), 40),
        (L, date(2022, 1, 1), 60),
        (S, date(2022, 1, 1), 80),
        (P, date(2022, 1, 1), 100),
        (G, date(2020, 1, 1), 30),
        (L, date(2020, 1, 1), 40),
        (S, date(2020, 1, 1), 60),
        (P, date(2020, 1, 1), 80),
    ],
)
def test_principal_person_percentages(grade, on, pct):
    found = fine_range(
        grade=grade, accident_date=on, subject="principal_person", previous_year_income=Decimal("500000")
    )
    assert found.minimum == found.maximum == Decimal(5000 * pct)


def test_no_proposal_without_income_or_for_others():
    assert fine_range(grade=G, accident_date=date(2022, 1, 1), subject="principal_person") is None
    assert fine_range(grade=G, accident_date=date(2022, 1, 1), subject="person") is None
