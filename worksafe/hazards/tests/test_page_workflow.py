"""Hidden dangers walked through the pages, from report to closed (design.md "Hazard lifecycle")."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from worksafe.hazards.models import Hazard
from worksafe.testing import PNG


def transition(client, hazard_pk, **data):
    return client.post(reverse("hazards:transition", args=[hazard_pk]), data)


def test_general_hazard_from_report_to_closed(page, world):
    office = page(world.office)
    due = timezone.localdate() + timedelta(days=7)
    r = office.post(
        reverse("hazards:create"),
        {
            "enterprise": world.enterprise_a.pk,
            "title": "消防通道堵塞",
            "level": "general",
            "source": "inspection",
            "due_date": due.isoformat(),
        },
    )
    assert r.status_code == 302
    hazard = Hazard.objects.get(title="消防通道堵塞")

    r = transition(
        office, hazard.pk, action="assign", version=1, responsible_person="张三", due_date=due.isoformat()
    )
    assert r.status_code == 302, r.content.decode()
    officer = page(world.officer_a)
    r = officer.post(
        reverse("hazards:evidence", args=[hazard.pk]),
        {"kind": "after", "file": SimpleUploadedFile("after.png", PNG, content_type="image/png")},
    )
    assert r.status_code == 302
    assert 'value="submit"' in officer.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    r = transition(officer, hazard.pk, action="submit", version=2, note="已清理")
    assert r.status_code == 302
    inspector = page(world.inspector)
    r = transition(inspector, hazard.pk, action="reject", version=3, note="")
    assert r.status_code == 200
    assert r.context["action_forms"][-1].errors["note"]
    r = transition(inspector, hazard.pk, action="reject", version=3, note="仍有杂物")
    assert r.status_code == 302
    r = transition(page(world.officer_a), hazard.pk, action="submit", version=4)
    assert r.status_code == 302
    r = transition(page(world.inspector), hazard.pk, action="accept", version=5)
    assert r.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.CLOSED
    assert hazard.rejection_count == 1
    r = page(world.office).get(reverse("hazards:detail", args=[hazard.pk]))
    assert [e["action"] for e in r.context["events"]] == [
        "create",
        "assign",
        "evidence",
        "submit",
        "reject",
        "submit",
        "accept",
    ]
    assert r.context["action_forms"] == []
    assert "仍有杂物" in r.content.decode()


def test_major_hazard_needs_plan_before_assign(page, world):
    hazard = world.make_hazard(level="major", title="重大隐患")
    office = page(world.office)
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    r = transition(office, hazard.pk, action="assign", version=1, responsible_person="李四", due_date=due)
    assert r.status_code == 200
    assign_form = r.context["action_forms"][0]
    assert assign_form.action_name == "assign"
    assert "five implementations" in " ".join(assign_form.non_field_errors())
    assert 'value="李四"' in r.content.decode()  # what was typed is kept
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.REPORTED and hazard.version == 1

    plan_url = reverse("hazards:plan", args=[hazard.pk])
    assert office.get(plan_url).status_code == 200
    r = office.post(plan_url, {"version": 1, "measures": "更换阀门", "funds": "-5"})
    assert r.status_code == 200 and "funds" in r.context["form"].errors
    r = office.post(
        plan_url,
        {
            "version": 1,
            "measures": "更换阀门",
            "responsible_person": "王厂长",
            "funds": "120000.50",
            "deadline": hazard.due_date.isoformat(),
            "contingency_plan": "停产撤人",
        },
    )
    assert r.status_code == 302
    hazard.refresh_from_db()
    assert hazard.plan_complete and hazard.version == 2
    body = office.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert "5 of 5 filled" in body

    r = transition(
        office,
        hazard.pk,
        action="assign",
        version=2,
        responsible_person="李四",
        due_date=due,
        expert=world.expert.pk,
    )
    assert r.status_code == 302
    r = transition(page(world.officer_a), hazard.pk, action="submit", version=3)
    assert r.status_code == 302
    # the enterprise never accepts a major hidden danger
    assert transition(page(world.officer_a), hazard.pk, action="accept", version=4).status_code == 403
    expert = page(world.expert)
    assert 'value="accept"' in expert.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    r = transition(expert, hazard.pk, action="accept", version=4, note="验收合格")
    assert r.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.CLOSED and hazard.expert_id == world.expert.pk


def test_stale_version_shows_message_and_keeps_input(page, world):
    hazard = world.make_hazard()
    office = page(world.office)
    r = transition(office, hazard.pk, action="cancel", version=1, note="重复登记")
    assert r.status_code == 302
    hazard = world.make_hazard(title="第二个")
    from worksafe.hazards.services import hazard_plan

    hazard_plan(actor=world.inspector, hazard_id=hazard.pk, version=1, measures="别人改过")
    r = transition(office, hazard.pk, action="cancel", version=1, note="我的理由")
    assert r.status_code == 409
    body = r.content.decode()
    assert "Someone changed this record while you were editing" in body
    assert "我的理由" in body
    assert 'name="version" value="2"' in body
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.REPORTED


def test_stale_plan_keeps_input(page, world):
    hazard = world.make_hazard(level="major")
    from worksafe.hazards.services import hazard_plan

    hazard_plan(actor=world.inspector, hazard_id=hazard.pk, version=1, measures="别人写的")
    r = page(world.office).post(
        reverse("hazards:plan", args=[hazard.pk]), {"version": 1, "measures": "我写的"}
    )
    assert r.status_code == 409
    body = r.content.decode()
    assert "Someone changed this record while you were editing" in body and "我写的" in body
    assert 'name="version" value="2"' in body
    hazard.refresh_from_db()
    assert hazard.plan_measures == "别人写的"


def test_transition_bad_input_never_500(page, world):
    hazard = world.make_hazard()
    office = page(world.office)
    for data in (
        {},
        {"action": "explode", "version": 1},
        {"action": "assign"},
        {"action": "assign", "version": "abc"},
        {"action": "assign", "version": 1, "due_date": "not-a-date", "responsible_person": "x"},
        {"action": "assign", "version": 1, "expert": "999999", "responsible_person": "x"},
        {"action": "accept", "version": 1},
    ):
        r = transition(office, hazard.pk, **data)
        assert r.status_code in (200, 403, 409, 422), data
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.REPORTED and hazard.version == 1


def test_assign_with_unknown_expert_names_the_field(page, world):
    hazard = world.make_hazard()
    r = transition(
        page(world.office),
        hazard.pk,
        action="assign",
        version=1,
        responsible_person="x",
        expert=world.office.pk,
    )
    assert r.status_code == 200
    assert "expert" in r.context["action_forms"][0].errors


def test_officer_may_not_assign_an_inspection_hazard(page, world):
    hazard = world.make_hazard()
    r = transition(page(world.officer_a), hazard.pk, action="assign", version=1, responsible_person="x")
    assert r.status_code == 403
    assert "Only an inspector or office" in r.content.decode()


def test_officer_walks_own_general_self_check_to_closed(page, world):
    hazard = world.make_hazard(source="self_check", actor=world.officer_a)
    officer = page(world.officer_a)
    assert (
        transition(officer, hazard.pk, action="assign", version=1, responsible_person="班长").status_code
        == 302
    )
    assert transition(officer, hazard.pk, action="submit", version=2).status_code == 302
    assert transition(officer, hazard.pk, action="accept", version=3).status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.CLOSED


def test_plan_page_forbidden_when_pending(page, world):
    from worksafe.hazards.services import hazard_transition

    hazard = world.make_hazard()
    hazard_transition(
        actor=world.office, hazard_id=hazard.pk, action="assign", version=1, responsible_person="x"
    )
    hazard_transition(actor=world.officer_a, hazard_id=hazard.pk, action="submit", version=2)
    r = page(world.office).get(reverse("hazards:plan", args=[hazard.pk]))
    assert r.status_code == 403


def test_action_the_status_does_not_allow_is_explained(page, world):
    hazard = world.make_hazard()
    r = transition(page(world.office), hazard.pk, action="accept", version=1)
    assert r.status_code == 200
    assert "cannot be accept" in r.content.decode()
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.REPORTED
