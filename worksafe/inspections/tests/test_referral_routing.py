"""A referral goes to the department in charge nearest the enterprise; the form offers only the
departments the service accepts."""

import re

from worksafe.inspections.models import Enforcement
from worksafe.orgs.models import Organization
from worksafe.testing import make_org

URL = "/api/v1/enforcement"
FORM = "/inspections/enforcement/new/"


def referral(target, **extra):
    return {"target": target.pk, "kind": "referral", "description": "移送处理", **extra}


def offered(html: str) -> set[int]:
    select = html.split('name="referred_to"', 1)[1].split("</select>", 1)[0]
    return {int(pk) for pk in re.findall(r'value="(\d+)"', select)}


def test_a_referral_without_a_receiver_goes_to_the_city_department_in_charge(world, api):
    # Zhongshan's own department may not penalize: the city's emergency management is next.
    response = api(world.inspector_zs).post(URL, referral(world.enterprise_a))
    assert response.status_code == 201, response.content
    assert response.json()["referred_to"] == world.dept_em.pk


def test_the_nearest_region_wins(world, api):
    district = make_org(
        kind=Organization.Kind.DEPARTMENT,
        name="中山区应急管理执法大队",
        region="210202",
        industries=["hazardous_chemicals"],
        can_penalize=True,
    )
    response = api(world.office).post(URL, referral(world.enterprise_a))
    assert response.status_code == 201, response.content
    assert response.json()["referred_to"] == district.pk


def test_no_department_in_charge_is_422_on_referred_to(world, api):
    hotel = make_org(
        kind=Organization.Kind.ENTERPRISE, name="大连某宾馆", region="210202", industry="tourism"
    )
    response = api(world.office).post(URL, referral(hotel))
    assert response.status_code == 422 and "referred_to" in response.json()["errors"]
    assert not Enforcement.objects.exists()


def test_a_department_is_never_routed_its_own_referral(world, api):
    # The city department is the only one in charge of enterprise B; it cannot refer to itself.
    response = api(world.inspector).post(URL, referral(world.enterprise_b))
    assert response.status_code == 422 and "referred_to" in response.json()["errors"]


def test_the_form_offers_the_receivers_of_the_chosen_enterprise_only(world, client, api):
    client.force_login(world.office)
    html = client.get(f"{FORM}?target={world.enterprise_c.pk}&kind=referral").content.decode()
    assert offered(html) == {world.dept_build.pk}
    # every department offered is one the service accepts
    for pk in offered(html):
        response = api(world.office).post(URL, referral(world.enterprise_c, referred_to=pk))
        assert response.status_code == 201, response.content


def test_without_an_enterprise_the_form_offers_receivers_for_the_users_enterprises(world, client):
    make_org(
        kind=Organization.Kind.DEPARTMENT,
        name="哈尔滨市应急管理局",
        region="230100",
        industries=["hazardous_chemicals"],
        can_penalize=True,
    )
    client.force_login(world.inspector_zs)  # sees the chemicals enterprises of Zhongshan only
    assert offered(client.get(FORM).content.decode()) == {world.dept_em.pk}


def test_a_form_post_naming_a_department_the_service_rejects_changes_nothing(world, client):
    client.force_login(world.office)
    data = referral(world.enterprise_c, referred_to=world.dept_em.pk)
    response = client.post(FORM, data)
    assert response.status_code == 200 and "insp-error" in response.content.decode()
    assert not Enforcement.objects.exists()
