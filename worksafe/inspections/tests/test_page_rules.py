"""Pages offer exactly what the rules and the transition tables allow (code review §1.3)."""

from datetime import timedelta

from django.utils import timezone

from worksafe.inspections.models import ChecklistTemplate, Inspection
from worksafe.inspections.services import checklist_copy, inspection_start, plan_create
from worksafe.orgs.models import Role
from worksafe.testing import make_user

from .test_supervision import _supervise


def _html(response) -> str:
    return response.content.decode()


def test_a_colleague_and_the_admin_read_a_plan_on_the_page_as_in_the_api(world, client, api):
    plan = plan_create(
        actor=world.inspector,
        name="危化品专项抽查",
        method="random",
        kind="routine",
        planned_on=timezone.localdate() + timedelta(days=5),
        target_count=1,
        team_size=1,
        pool=[],
    )
    colleague = make_user("colleague", role=Role.INSPECTOR, organization=world.dept_em)
    for user in (colleague, world.admin):
        assert api(user).get(f"/api/v1/inspection-plans/{plan.pk}").status_code == 200
        client.force_login(user)
        assert client.get(f"/inspections/plans/{plan.pk}/").status_code == 200
    client.force_login(world.inspector_build)
    assert client.get(f"/inspections/plans/{plan.pk}/").status_code == 404


def test_the_admin_may_edit_an_unused_shipped_checklist_on_the_page(world, client):
    shipped = ChecklistTemplate.objects.filter(owner__isnull=True).order_by("pk").first()
    Inspection.objects.filter(checklist=shipped).delete()
    client.force_login(world.admin)
    response = client.get(f"/inspections/checklists/{shipped.pk}/")
    assert response.context["may_edit"] is True
    response = client.post(f"/inspections/checklists/{shipped.pk}/", {"text": "新增检查项"})
    assert response.status_code == 302
    assert shipped.items.filter(text="新增检查项").exists()


def test_a_checklist_in_use_offers_no_editing(world, client, plan_inspection):
    shipped = ChecklistTemplate.objects.filter(owner__isnull=True, industry="hazardous_chemicals").first()
    copy = checklist_copy(actor=world.office, template_id=shipped.pk, name="市级版")
    client.force_login(world.office)
    assert client.get(f"/inspections/checklists/{copy.pk}/").context["may_edit"] is True
    plan_inspection(by=world.office, checklist=copy.pk)
    response = client.get(f"/inspections/checklists/{copy.pk}/")
    assert response.context["may_edit"] is False
    assert 'name="remove"' not in _html(response)


def test_opinion_buttons_follow_the_rules(world, client, api):
    opinion_id = _supervise(world, api)["opinions"][0]
    inspection = Inspection.objects.get(opinions=opinion_id)
    url = f"/inspections/{inspection.pk}/"
    client.force_login(world.office_gjz)  # the inspected government reports and submits
    html = _html(client.get(url))
    assert 'value="report"' in html and 'value="submit"' in html
    assert 'value="accept"' not in html and 'value="reject"' not in html
    client.force_login(world.office)  # the inspecting side has nothing to do until submitted
    html = _html(client.get(url))
    assert not any(f'value="{a}"' in html for a in ("report", "submit", "accept", "reject"))
    client.force_login(world.leader)
    assert 'name="action"' not in _html(client.get(url))


def test_inspection_buttons_follow_the_transition_table(world, client, plan_inspection):
    body = plan_inspection()
    url = f"/inspections/{body['id']}/"
    client.force_login(world.inspector)
    response = client.get(url)
    assert response.context["actions"] == ["start", "cancel"]
    assert f'action="/inspections/{body["id"]}/cancel/"' in _html(response)
    inspection_start(actor=world.inspector, inspection_id=body["id"])
    assert client.get(url).context["actions"] == ["finish"]
    client.force_login(world.leader)
    assert client.get(url).context["actions"] == []
