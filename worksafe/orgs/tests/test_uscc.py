"""Unified social credit codes, GB 32100-2015 (domain.md §7.1): the reference algorithm with
its published vectors, and what the organization API does with good and bad codes."""

import pytest

from worksafe.audit.models import Event
from worksafe.orgs import uscc
from worksafe.orgs.models import Organization

URL = "/api/v1/organizations"


# --- the algorithm --------------------------------------------------------------------------


def test_reference_vector_weighted_sum_is_538_and_check_is_L():
    code = "91110000600037341L"
    total = sum(uscc.ALPHABET.index(c) * w for c, w in zip(code[:17], uscc.WEIGHTS, strict=True))
    assert total == 538
    assert uscc.WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    assert uscc.check_char(code[:17]) == "L"
    assert uscc.org_check_char("60003734") == "1"
    assert uscc.problems(code) == []


def test_synthetic_dalian_vector_is_valid():
    assert uscc.problems("91210200123456788N") == []


def test_make_code_builds_valid_codes():
    assert uscc.make_code("91110000", "60003734") == "91110000600037341L"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("  91110000600037341l \t", "91110000600037341L"), ("", ""), (None, "")],
)
def test_normalize_trims_outer_whitespace_and_upper_cases(raw, expected):
    assert uscc.normalize(raw) == expected


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("91110000600037341M", "character 18"),  # wrong check character
        ("9111000060003734 L", "not allowed"),  # inner whitespace, right length
        ("91110000 600037341L", "18 characters"),  # inner whitespace, too long
        ("9111000060003734L", "18 characters"),  # too short
        ("91110000600037341LL", "18 characters"),  # too long
        ("91110000600037341I", "not allowed"),
        ("O1110000600037341L", "not allowed"),
        ("91110000600037341S", "not allowed"),
        ("9111000060003734V1", "not allowed"),
        ("91110000600037341Z", "not allowed"),
        ("91AB0000600037341L", "region code"),
    ],
)
def test_invalid_codes_are_explained(code, words):
    found = uscc.problems(code)
    assert found
    assert words in " ".join(str(p) for p in found)


def test_wrong_embedded_organization_check_character_is_caught_even_with_a_good_18th():
    first17 = "9111000060003734" + "2"  # the organization code's check char should be 1
    code = first17 + uscc.check_char(first17)
    found = [str(p) for p in uscc.problems(code)]
    assert len(found) == 1
    assert "character 17" in found[0]


def test_org_check_char_maps_10_to_X_and_11_to_0():
    # Search the two special remainders instead of hard-coding inputs.
    seen = {}
    for n in range(2000):
        base = f"{n:08d}"
        total = sum(int(c) * w for c, w in zip(base, uscc.ORG_WEIGHTS, strict=True))
        seen.setdefault(11 - total % 11, base)
    assert uscc.org_check_char(seen[10]) == "X"
    assert uscc.org_check_char(seen[11]) == "0"


# --- through the API -------------------------------------------------------------------------


def enterprise(code, **extra):
    return {
        "kind": "enterprise",
        "name": "大连测试企业有限公司",
        "region": "210202",
        "industry": "hazardous_chemicals",
        "uscc": code,
        **extra,
    }


def test_valid_code_is_stored_trimmed_and_upper_cased(world, api):
    r = api(world.admin).post(URL, enterprise("  91210200123456788n  "))
    assert r.status_code == 201, r.content
    assert r.json()["uscc"] == "91210200123456788N"


@pytest.mark.parametrize(
    "code",
    [
        "91110000600037341M",
        "9121020012345678 N",
        "912102001234567888N",
        "91210200123456788",
        "9121020012345678IN",
        "",
        "   ",
    ],
)
def test_bad_code_is_422_naming_uscc(world, api, code):
    r = api(world.admin).post(URL, enterprise(code))
    assert r.status_code == 422
    body = r.json()
    assert body["errors"]["uscc"]
    assert set(body) == {"detail", "errors"}


def test_enterprise_without_any_code_is_422_on_uscc(world, api):
    payload = enterprise("x")
    del payload["uscc"]
    r = api(world.admin).post(URL, payload)
    assert r.status_code == 422
    assert "uscc" in r.json()["errors"]


def test_duplicate_code_is_refused_even_in_another_spelling(world, api):
    client = api(world.admin)
    assert client.post(URL, enterprise("91210200123456788N")).status_code == 201
    r = client.post(URL, enterprise(" 91210200123456788n"))
    assert r.status_code == 422
    assert "already registered" in r.json()["errors"]["uscc"][0]
    assert Organization.objects.filter(uscc="91210200123456788N").count() == 1


def test_admin_override_with_reason_is_accepted_and_recorded(world, api):
    r = api(world.admin).post(
        URL, enterprise("91110000600037341M", uscc_override_reason="早期试点代码，经核实有效")
    )
    assert r.status_code == 201, r.content
    org = Organization.objects.get(pk=r.json()["id"])
    assert org.uscc == "91110000600037341M"
    assert org.uscc_override_reason == "早期试点代码，经核实有效"
    event = Event.objects.for_subject("organization", org.pk).get()
    assert event.actor_id == world.admin.pk
    assert event.data["uscc_override_reason"] == "早期试点代码，经核实有效"


def test_admin_override_without_reason_is_422_on_uscc(world, api):
    r = api(world.admin).post(URL, enterprise("91110000600037341M", uscc_override_reason="   "))
    assert r.status_code == 422
    assert "uscc" in r.json()["errors"]


def test_admin_override_cannot_accept_forbidden_letters_or_wrong_length(world, api):
    client = api(world.admin)
    for code in ("91110000600037341I", "9111000060003734"):
        r = client.post(URL, enterprise(code, uscc_override_reason="试点"))
        assert r.status_code == 422
        assert "uscc" in r.json()["errors"]


def test_override_by_office_is_refused_with_422_naming_uscc(world, api):
    before = Event.objects.count()
    r = api(world.office).post(URL, enterprise("91110000600037341M", uscc_override_reason="试点"))
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert "uscc" in errors
    assert "uscc_override_reason" in errors
    assert not Organization.objects.filter(uscc="91110000600037341M").exists()
    assert Event.objects.count() == before


def test_valid_code_does_not_keep_an_override_reason(world, api):
    r = api(world.admin).post(URL, enterprise("91210200123456788N", uscc_override_reason="不需要"))
    assert r.status_code == 201
    assert Organization.objects.get(pk=r.json()["id"]).uscc_override_reason == ""
