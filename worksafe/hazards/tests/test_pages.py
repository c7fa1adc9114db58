import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from worksafe.hazards.models import Evidence, Hazard
from worksafe.testing import PNG

from .conftest import PDF


def detail(hazard):
    return reverse("hazards:detail", args=[hazard.pk])


# --- scope: who sees what -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["office", "inspector", "inspector_zs", "officer_a", "admin", "leader"])
def test_detail_visible_in_scope(page, world, who):
    hazard = world.make_hazard()
    r = page(getattr(world, who)).get(detail(hazard))
    assert r.status_code == 200
    assert hazard.number in r.content.decode()


@pytest.mark.parametrize("who", ["outsider", "office_gjz", "inspector_build", "officer_b", "expert"])
def test_detail_out_of_scope_is_404(page, world, who):
    hazard = world.make_hazard()  # chemicals enterprise A in Zhongshan
    r = page(getattr(world, who)).get(detail(hazard))
    assert r.status_code == 404
    assert hazard.title not in r.content.decode()


@pytest.mark.parametrize(
    "name,args",
    [
        ("hazards:plan", []),
        ("hazards:transition", []),
        ("hazards:evidence", []),
    ],
)
def test_every_hazard_url_is_404_out_of_scope(page, world, name, args):
    hazard = world.make_hazard()
    client = page(world.officer_b)
    url = reverse(name, args=[hazard.pk, *args])
    assert client.get(url).status_code in (404, 405)
    r = client.post(url, {"action": "cancel", "version": 1, "note": "x", "kind": "after"})
    assert r.status_code == 404
    assert Hazard.objects.get(pk=hazard.pk).status == Hazard.Status.REPORTED


def test_evidence_file_is_scoped(page, world):
    hazard = world.make_hazard()
    client = page(world.officer_a)
    client.post(
        reverse("hazards:evidence", args=[hazard.pk]),
        {"kind": "before", "file": SimpleUploadedFile("p.png", PNG, content_type="image/png")},
    )
    evidence = Evidence.objects.get(hazard=hazard)
    url = reverse("hazards:evidence_file", args=[hazard.pk, evidence.pk])
    r = client.get(url)
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PNG
    assert page(world.officer_b).get(url).status_code == 404
    assert page(world.outsider).get(url).status_code == 404
    other = world.make_hazard(title="另一个")
    assert (
        page(world.office).get(reverse("hazards:evidence_file", args=[other.pk, evidence.pk])).status_code
        == 404
    )


# --- list ----------------------------------------------------------------------------------------


def test_list_shows_only_scope(page, world):
    mine = world.make_hazard(title="甲公司隐患")
    world.make_hazard(enterprise=world.enterprise_b, title="乙公司隐患")
    world.make_hazard(enterprise=world.enterprise_h, title="哈尔滨隐患", actor=world.outsider)
    body = page(world.officer_a).get(reverse("hazards:list")).content.decode()
    assert mine.title in body
    assert "乙公司隐患" not in body and "哈尔滨隐患" not in body
    body = page(world.office).get(reverse("hazards:list")).content.decode()
    assert "乙公司隐患" in body and "哈尔滨隐患" not in body


def test_list_filters(page, world):
    world.make_hazard(title="一般隐患")
    world.make_hazard(title="重大隐患项", level="major")
    world.make_hazard(enterprise=world.enterprise_b, title="甘井子隐患")
    client = page(world.office)
    r = client.get(reverse("hazards:list"), {"level": "major"})
    assert [h.title for h in r.context["hazards"]] == ["重大隐患项"]
    r = client.get(reverse("hazards:list"), {"region": "210211"})
    assert [h.title for h in r.context["hazards"]] == ["甘井子隐患"]
    r = client.get(reverse("hazards:list"), {"q": "一般"})
    assert [h.title for h in r.context["hazards"]] == ["一般隐患"]
    r = client.get(reverse("hazards:list"), {"enterprise": world.enterprise_b.pk})
    assert [h.title for h in r.context["hazards"]] == ["甘井子隐患"]


def test_list_overdue_and_due_filters(page, world, time_machine):
    time_machine.move_to("2026-03-01 10:00 +0800", tick=False)
    world.make_hazard(title="将到期", due_date=timezone.localdate() + timedelta(days=3))
    world.make_hazard(title="已逾期", due_date=timezone.localdate() + timedelta(days=1))
    world.make_hazard(title="远期", due_date=timezone.localdate() + timedelta(days=30))
    time_machine.move_to("2026-03-04 10:00 +0800", tick=False)
    client = page(world.office)
    r = client.get(reverse("hazards:list"), {"overdue": "1"})
    assert [h.title for h in r.context["hazards"]] == ["已逾期"]
    assert "2 days overdue" in r.content.decode()
    r = client.get(reverse("hazards:list"), {"due": "week"})
    assert [h.title for h in r.context["hazards"]] == ["将到期"]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nonsense"},
        {"region": "abc"},
        {"enterprise": "x"},
        {"overdue": "maybe"},
        {"cursor": "!!!"},
        {"cursor": "a2V5"},
        {"q": "x" * 500},
        {"industry": "<script>"},
    ],
)
def test_list_bad_input_never_500(page, world, params):
    world.make_hazard()
    r = page(world.office).get(reverse("hazards:list"), params)
    assert r.status_code == 200


def test_list_load_more_with_htmx(page, world):
    for i in range(30):
        world.make_hazard(title=f"隐患-{i:02d}")
    client = page(world.office)
    r = client.get(reverse("hazards:list"))
    assert len(r.context["hazards"]) == 25
    cursor = r.context["next_cursor"]
    assert cursor and "Load more" in r.content.decode()
    r = client.get(reverse("hazards:list"), {"cursor": cursor}, headers={"HX-Request": "true"})
    body = r.content.decode()
    assert "<html" not in body  # a fragment, not the page
    assert body.count('class="hazard-row"') == 5
    assert "隐患-00" in body and "隐患-29" not in body
    assert "Load more" not in body


def test_list_query_count_does_not_grow(page, world, count_queries):
    client = page(world.office)
    world.make_hazard()
    one = count_queries(lambda: client.get(reverse("hazards:list")))
    for i in range(15):
        world.make_hazard(title=f"隐患{i}", enterprise=world.enterprise_b if i % 2 else world.enterprise_a)
    many = count_queries(lambda: client.get(reverse("hazards:list")))
    assert many == one
    assert many <= 8


def test_detail_query_count_does_not_grow(page, world, count_queries):
    from worksafe.hazards.services import hazard_add_evidence, hazard_plan

    hazard = world.make_hazard()
    client = page(world.office)
    one = count_queries(lambda: client.get(detail(hazard)))
    for i in range(5):
        hazard = hazard_plan(
            actor=world.office, hazard_id=hazard.pk, version=hazard.version, measures=f"措施{i}"
        )
        hazard_add_evidence(
            actor=world.office,
            hazard_id=hazard.pk,
            upload=SimpleUploadedFile(f"{i}.png", PNG, content_type="image/png"),
            kind="before",
        )
    many = count_queries(lambda: client.get(detail(hazard)))
    assert many == one
    assert many <= 10


# --- create --------------------------------------------------------------------------------------


def test_officer_reports_own_self_check_hazard_with_photo(page, world):
    client = page(world.officer_a)
    r = client.get(reverse("hazards:create"))
    body = r.content.decode()
    assert 'capture="environment"' in body
    assert "data-draft" in body
    due = timezone.localdate() + timedelta(days=5)
    r = client.post(
        reverse("hazards:create"),
        {
            # enterprise and source are fixed for an officer: whatever is posted is ignored
            "enterprise": world.enterprise_b.pk,
            "source": "inspection",
            "title": "配电箱无门",
            "level": "general",
            "due_date": due.isoformat(),
            "file": SimpleUploadedFile("before.png", PNG, content_type="image/png"),
        },
    )
    assert r.status_code == 302
    hazard = Hazard.objects.get(title="配电箱无门")
    assert hazard.enterprise_id == world.enterprise_a.pk
    assert hazard.source == Hazard.Source.SELF_CHECK
    assert hazard.evidence.get().kind == "before"
    r = client.get(r.url)
    assert 'data-draft-clear="hazard-new"' in r.content.decode()


def test_create_errors_next_to_fields_and_nothing_created(page, world):
    client = page(world.office)
    r = client.post(
        reverse("hazards:create"),
        {
            "enterprise": world.enterprise_a.pk,
            "title": "",
            "description": "我写的描述不能丢",
            "level": "general",
            "source": "inspection",
            "due_date": "2000-01-01",
        },
    )
    assert r.status_code == 200
    assert "title" in r.context["form"].errors
    body = r.content.decode()
    # the message sits with its field, and the field points at it
    assert re.search(
        r'<label for="id_title">[^<]*</label>\s*<ul class="errorlist" id="id_title_error">', body
    )
    assert 'aria-describedby="id_title_error"' in body
    assert "我写的描述不能丢" in body
    assert not Hazard.objects.exists()


def test_create_past_due_date_error_from_service(page, world):
    r = page(world.office).post(
        reverse("hazards:create"),
        {
            "enterprise": world.enterprise_a.pk,
            "title": "过期",
            "level": "general",
            "source": "inspection",
            "due_date": "2000-01-01",
        },
    )
    assert r.status_code == 200
    assert r.context["form"].errors["due_date"] == ["The due date cannot be in the past."]
    assert not Hazard.objects.exists()


def test_create_out_of_scope_enterprise_is_a_field_error(page, world):
    r = page(world.inspector).post(
        reverse("hazards:create"),
        {
            "enterprise": world.enterprise_c.pk,  # construction: not this department's
            "title": "越权",
            "level": "general",
            "source": "inspection",
            "due_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )
    assert r.status_code == 200
    assert "enterprise" in r.context["form"].errors
    assert not Hazard.objects.exists()


def test_create_with_bad_photo_creates_nothing(page, world):
    r = page(world.office).post(
        reverse("hazards:create"),
        {
            "enterprise": world.enterprise_a.pk,
            "title": "带照片",
            "level": "general",
            "source": "inspection",
            "due_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "file": SimpleUploadedFile("evil.png", b"MZ not an image at all", content_type="image/png"),
        },
    )
    assert r.status_code == 200
    assert "file" in r.context["form"].errors
    assert not Hazard.objects.exists()


def test_leader_may_not_report(page, world):
    client = page(world.leader)
    assert client.get(reverse("hazards:create")).status_code == 403
    r = client.post(
        reverse("hazards:create"),
        {"enterprise": world.enterprise_a.pk, "title": "x", "level": "general", "source": "inspection"},
    )
    assert r.status_code == 403
    assert "report" in r.content.decode() or "register" in r.content.decode()
    assert not Hazard.objects.exists()


# --- detail --------------------------------------------------------------------------------------


def test_detail_shows_exactly_allowed_actions(page, world):
    hazard = world.make_hazard()
    body = page(world.office).get(detail(hazard)).content.decode()
    assert 'name="action" value="assign"' in body
    assert 'name="action" value="cancel"' in body
    assert 'value="submit"' not in body and 'value="accept"' not in body
    assert 'name="version" value="1"' in body
    assert 'name="expert"' in body
    body = page(world.leader).get(detail(hazard)).content.decode()
    assert 'name="action"' not in body
    body = page(world.officer_a).get(detail(hazard)).content.decode()
    assert 'name="action"' not in body  # an inspection's hazard: the officer waits for assignment


def test_detail_shows_timeline_and_overdue_days(page, world, time_machine):
    time_machine.move_to("2026-05-01 09:00 +0800", tick=False)
    hazard = world.make_hazard(due_date=timezone.localdate() + timedelta(days=2))
    time_machine.move_to("2026-05-06 09:00 +0800", tick=False)
    r = page(world.office).get(detail(hazard))
    assert r.context["days_overdue"] == 3
    assert [e["action"] for e in r.context["events"]] == ["create"]
    assert "3 days overdue" in r.content.decode()


def test_detail_pdf_evidence_is_a_link(page, world):
    hazard = world.make_hazard()
    client = page(world.office)
    r = client.post(
        reverse("hazards:evidence", args=[hazard.pk]),
        {"kind": "after", "file": SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")},
    )
    assert r.status_code == 302
    body = client.get(detail(hazard)).content.decode()
    assert "report.pdf</a>" in body
    assert 'accept="image/*,application/pdf"' in body and 'capture="environment"' in body


def test_evidence_bad_file_shows_error_on_detail(page, world):
    hazard = world.make_hazard()
    r = page(world.office).post(
        reverse("hazards:evidence", args=[hazard.pk]),
        {"kind": "after", "file": SimpleUploadedFile("x.png", b"plain text", content_type="image/png")},
    )
    assert r.status_code == 200
    assert "file" in r.context["evidence_form"].errors
    assert not Evidence.objects.exists()


def test_evidence_bad_kind_and_missing_file(page, world):
    hazard = world.make_hazard()
    r = page(world.office).post(reverse("hazards:evidence", args=[hazard.pk]), {"kind": "during"})
    assert r.status_code == 200
    errors = r.context["evidence_form"].errors
    assert "kind" in errors and "file" in errors


def test_leader_gets_403_on_every_post(page, world):
    hazard = world.make_hazard()
    client = page(world.leader)
    for url, data in (
        (reverse("hazards:transition", args=[hazard.pk]), {"action": "cancel", "version": 1, "note": "x"}),
        (reverse("hazards:transition", args=[hazard.pk]), {"action": "assign", "version": 1}),
        (reverse("hazards:plan", args=[hazard.pk]), {"version": 1, "measures": "x"}),
        (
            reverse("hazards:evidence", args=[hazard.pk]),
            {"kind": "after", "file": SimpleUploadedFile("p.png", PNG, content_type="image/png")},
        ),
    ):
        r = client.post(url, data)
        assert r.status_code == 403, url
    hazard.refresh_from_db()
    assert hazard.version == 1 and not hazard.evidence.exists()


def test_huge_numbers_never_500(page, world):
    from worksafe.core.pagination import encode_cursor

    hazard = world.make_hazard()
    client = page(world.office)
    huge = 10**30
    assert client.get(reverse("hazards:list"), {"enterprise": str(huge)}).status_code == 200
    assert client.get(reverse("hazards:list"), {"cursor": encode_cursor(huge)}).status_code == 200
    assert client.get(reverse("web:enterprise_list"), {"cursor": encode_cursor(huge)}).status_code == 200
    assert client.get(f"/hazards/{huge}/").status_code == 404
    assert client.get(f"/enterprises/{huge}/").status_code == 404
    assert client.get(f"/hazards/{hazard.pk}/evidence/{huge}/").status_code == 404
    r = client.post(
        reverse("hazards:transition", args=[hazard.pk]),
        {"action": "cancel", "version": str(huge), "note": "x"},
    )
    assert r.status_code in (409, 422)
    r = client.post(
        reverse("hazards:transition", args=[hazard.pk]),
        {"action": "assign", "version": 1, "expert": str(huge), "responsible_person": "x"},
    )
    assert r.status_code == 200
    hazard.refresh_from_db()
    assert hazard.version == 1


def test_report_from_enterprise_page_prefills_it(page, world):
    client = page(world.office)
    body = client.get(reverse("web:enterprise_detail", args=[world.enterprise_b.pk])).content.decode()
    link = f"{reverse('hazards:create')}?enterprise={world.enterprise_b.pk}"
    assert link in body
    r = client.get(link)
    assert r.context["form"]["enterprise"].value() == world.enterprise_b.pk
    # an officer's own enterprise stays fixed whatever the link says
    r = page(world.officer_a).get(link)
    assert r.context["form"]["enterprise"].value() == world.enterprise_a.pk


def test_enterprise_is_picked_by_name_and_checked_against_the_scope(page, world):
    client = page(world.office)
    body = client.get(reverse("hazards:create")).content.decode()
    assert 'type="hidden" name="enterprise"' in body and "data-picker-search" in body
    assert 'type="number" name="enterprise"' not in body
    # A foreign id typed into the URL shows no name of it.
    body = client.get(f"{reverse('hazards:create')}?enterprise={world.enterprise_h.pk}").content.decode()
    assert world.enterprise_h.name not in body
    data = {
        "title": "按编号登记",
        "level": "general",
        "source": "inspection",
        "due_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
    }
    r = client.post(reverse("hazards:create"), {**data, "enterprise": world.enterprise_h.pk})  # Harbin
    assert r.status_code == 200 and "enterprise" in r.context["form"].errors
    r = client.post(reverse("hazards:create"), {**data, "enterprise": world.enterprise_b.pk})
    assert r.status_code == 302
    assert Hazard.objects.get().enterprise_id == world.enterprise_b.pk
