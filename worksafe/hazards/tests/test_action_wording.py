"""Refusing or cancelling a hidden danger asks in plain words, and a conflict with someone
else's change explains itself and keeps what was typed."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from worksafe.audit.models import Event
from worksafe.hazards.models import Hazard
from worksafe.hazards.services import hazard_transition

ZH = {"accept-language": "zh-hans"}


def detail(hazard) -> str:
    return reverse("hazards:detail", args=[hazard.pk])


def test_reject_and_cancel_name_the_action_and_require_a_reason(page, world):
    hazard = world.make_hazard()
    html = page(world.office).get(detail(hazard), headers=ZH).content.decode()
    cancel = re.search(r'<form[^>]*action-cancel"[^>]*>(.*?)</form>', html, re.S)
    assert f'data-confirm="确定对隐患 {hazard.number} 执行“撤销”吗？"' in cancel.group(0)
    assert re.search(r"<textarea[^>]*required", cancel.group(1))
    assert "确定要执行吗" not in html


def test_a_blank_reason_is_refused_at_the_field_and_changes_nothing(page, world):
    hazard = world.make_hazard()
    r = page(world.office).post(
        reverse("hazards:transition", args=[hazard.pk]),
        {"action": "cancel", "version": 1, "note": "   "},
        headers=ZH,
    )
    assert r.status_code == 200
    assert re.search(r'class="field invalid"><label for="cancel_note">', r.content.decode())
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.REPORTED


def test_two_tabs_assigning_get_plain_words_and_keep_the_note(page, world):
    hazard = world.make_hazard()
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    hazard_transition(
        actor=world.office, hazard_id=hazard.pk, action="assign", version=1, responsible_person="张三"
    )
    r = page(world.office).post(
        reverse("hazards:transition", args=[hazard.pk]),
        {
            "action": "assign",
            "version": 1,
            "responsible_person": "李四",
            "due_date": due,
            "note": "第二个窗口的备注",
        },
        headers=ZH,
    )
    assert r.status_code == 409
    html = r.content.decode()
    assert "您编辑期间，他人修改了这条记录。页面已显示其修改；您填写的内容保留在下方。" in html
    assert "版本" not in html
    assert re.search(r'id="kept-note">.*第二个窗口的备注', html, re.S)
    assert Event.objects.for_subject("hazard", hazard.pk).filter(action="assign").count() == 1


def test_a_stale_action_still_offered_keeps_the_note_in_its_form(page, world):
    hazard = world.make_hazard()
    hazard_transition(
        actor=world.office, hazard_id=hazard.pk, action="assign", version=1, responsible_person="张三"
    )
    officer = page(world.officer_a)
    r = officer.post(
        reverse("hazards:transition", args=[hazard.pk]),
        {"action": "submit", "version": 1, "note": "已更换报警器"},
        headers=ZH,
    )
    assert r.status_code == 409
    assert re.search(
        r'<textarea name="note"[^>]*id="submit_note">\s*已更换报警器</textarea>', r.content.decode()
    )
    assert 'id="kept-note"' not in r.content.decode()
