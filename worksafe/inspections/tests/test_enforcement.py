from datetime import timedelta

import pytest
from django.utils import timezone

from worksafe.audit.models import Event
from worksafe.inspections.models import Enforcement, ResumptionCase
from worksafe.orgs.models import Organization

URL = "/api/v1/enforcement"


def fine(target, **extra):
    return {
        "target": target.pk,
        "kind": "fine",
        "amount": "30000.00",
        "legal_basis": "《安全生产法》第一百零二条",
        **extra,
    }


def test_a_penalizing_department_in_scope_fines(world, api):
    response = api(world.inspector).post(URL, fine(world.enterprise_a))
    assert response.status_code == 201, response.content
    body = response.json()
    assert {"id", "target", "kind", "issued_by", "amount", "legal_basis", "status"} <= set(body)
    assert (
        body["issued_by"] == world.dept_em.pk and body["amount"] == "30000.00" and body["status"] == "issued"
    )
    assert Event.objects.filter(subject_type="enforcement", subject_id=str(body["id"])).exists()


@pytest.mark.parametrize("kind", ["fine", "suspend", "close", "warning"])
def test_a_department_that_may_not_penalize_gets_403(world, api, kind):
    body = fine(world.enterprise_a, kind=kind)
    if kind != "fine":
        body.pop("amount")
    assert api(world.inspector_zs).post(URL, body).status_code == 403
    assert api(world.office).post(URL, body).status_code == 403
    assert not Enforcement.objects.exists()


def test_other_roles_and_scopes(world, api):
    assert api(world.officer_a).post(URL, fine(world.enterprise_a)).status_code == 403
    assert api(world.leader).post(URL, fine(world.enterprise_a)).status_code == 403
    # construction regulator does not see a chemicals enterprise: 422 naming the target
    other = api(world.inspector_build).post(URL, fine(world.enterprise_a))
    assert other.status_code == 422 and "target" in other.json()["errors"]
    harbin = api(world.inspector).post(URL, fine(world.enterprise_h))
    assert harbin.status_code == 422 and "target" in harbin.json()["errors"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"amount": None}, "amount"),
        ({"amount": "-1"}, "amount"),
        ({"legal_basis": ""}, "legal_basis"),
        ({"kind": "bribe"}, "kind"),
        ({"deadline": "2000-01-01"}, "deadline"),
        ({"referred_to": 1}, "referred_to"),
        ({"inspection": 999999}, "inspection"),
    ],
)
def test_invalid_enforcement_is_422_naming_the_field(world, api, extra, field):
    response = api(world.inspector).post(URL, fine(world.enterprise_a, **extra))
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_referral_is_tracked_until_the_receiving_department_acts(world, api):
    referral = api(world.inspector_zs).post(
        URL,
        {
            "target": world.enterprise_a.pk,
            "kind": "referral",
            "referred_to": world.dept_em.pk,
            "description": "建议罚款",
        },
    )
    assert referral.status_code == 201, referral.content
    ref = referral.json()
    assert ref["status"] == "pending" and ref["referred_to"] == world.dept_em.pk
    # the receiving department sees it and acts on it
    receiver = api(world.inspector)
    assert ref["id"] in [a["id"] for a in receiver.get(URL, status="pending").json()["items"]]
    wrong_actor = api(world.inspector_zs).post(URL, fine(world.enterprise_a, referral=ref["id"]))
    assert wrong_actor.status_code == 403  # it may not fine at all
    acted = receiver.post(URL, fine(world.enterprise_a, referral=ref["id"]))
    assert acted.status_code == 201 and acted.json()["referral"] == ref["id"]
    assert receiver.get(f"{URL}/{ref['id']}").json()["status"] == "acted"


def test_referral_must_go_to_a_department_that_can_act(world, api):
    for receiver in (
        world.dept_build,
        world.dept_zs,
        world.committee,
    ):  # wrong industry / may not penalize / not a dept
        response = api(world.office).post(
            URL, {"target": world.enterprise_a.pk, "kind": "referral", "referred_to": receiver.pk}
        )
        assert response.status_code == 422 and "referred_to" in response.json()["errors"]
    ok = api(world.office).post(
        URL, {"target": world.enterprise_a.pk, "kind": "referral", "referred_to": world.dept_em.pk}
    )
    assert ok.status_code == 201


def test_order_to_rectify_needs_a_supervising_department_and_a_deadline(world, api):
    deadline = (timezone.localdate() + timedelta(days=10)).isoformat()
    body = {"target": world.enterprise_a.pk, "kind": "order_rectify", "deadline": deadline}
    assert api(world.inspector_zs).post(URL, body).status_code == 201
    assert api(world.office).post(URL, body).status_code == 403
    missing = api(world.inspector_zs).post(URL, {**body, "deadline": None})
    assert missing.status_code == 422 and "deadline" in missing.json()["errors"]


def test_suspension_flags_the_enterprise_and_a_later_inspection_finding_it_operating_is_a_case(
    world, api, plan_inspection
):
    response = api(world.inspector).post(
        URL, {"target": world.enterprise_a.pk, "kind": "suspend", "legal_basis": "《安全生产法》第一百零二条"}
    )
    assert response.status_code == 201
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.status == Organization.Status.SUSPENDED
    listed = api(world.inspector).get(f"{URL}/reinspection").json()["items"]
    assert [e["id"] for e in listed] == [world.enterprise_a.pk] and listed[0]["resumption_cases"] == 0
    insp = plan_inspection("unannounced")
    client = api(world.inspector)
    client.post(f"/api/v1/inspections/{insp['id']}/start")
    finished = client.post(f"/api/v1/inspections/{insp['id']}/finish", {"found_operating": True})
    assert finished.status_code == 200
    case = ResumptionCase.objects.get()
    assert case.enterprise_id == world.enterprise_a.pk and case.enterprise_status == "suspended"
    assert client.get(f"{URL}/reinspection").json()["items"][0]["resumption_cases"] == 1
    cases = client.get(f"{URL}/resumption-cases").json()["items"]
    assert [c["enterprise"] for c in cases] == [world.enterprise_a.pk]
    assert api(world.officer_b).get(f"{URL}/resumption-cases").json()["items"] == []


def test_scope_of_the_enforcement_list_and_detail(world, api, django_assert_max_num_queries):
    for _ in range(3):
        api(world.inspector).post(URL, fine(world.enterprise_a))
    action_id = Enforcement.objects.first().pk
    assert len(api(world.officer_a).get(URL).json()["items"]) == 3
    for user in (world.officer_b, world.outsider, world.inspector_build):
        assert api(user).get(URL).json()["items"] == []
        assert api(user).get(f"{URL}/{action_id}").status_code == 404
    client = api(world.office)
    with django_assert_max_num_queries(5):
        assert len(client.get(URL).json()["items"]) == 3


def test_completion_is_versioned(world, api):
    action = api(world.inspector).post(URL, fine(world.enterprise_a)).json()
    client = api(world.inspector)
    assert client.post(f"{URL}/{action['id']}/complete", {"version": 9}).status_code == 409
    assert api(world.office).post(f"{URL}/{action['id']}/complete", {"version": 1}).status_code == 403
    done = client.post(f"{URL}/{action['id']}/complete", {"version": 1})
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert client.post(f"{URL}/{action['id']}/complete", {"version": 2}).status_code == 422
