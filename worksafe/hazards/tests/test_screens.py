"""The register's count, sorting and batch actions, the photo viewer, the upload field and the
region and enterprise pickers (first-user review D16, D18, D19, D21)."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from worksafe.hazards.models import Evidence, Hazard
from worksafe.hazards.tests.conftest import bring_to
from worksafe.testing import PNG

from .conftest import PDF

LIST = reverse("hazards:list")
BULK = reverse("hazards:bulk")


@pytest.fixture
def walk(world):
    def make(status=Hazard.Status.REPORTED, **fields):
        return bring_to(world, world.make_hazard(**fields), status)

    return make


def evidence(client, hazard, name: str, content: bytes, kind: str = "before") -> Evidence:
    r = client.post(
        reverse("hazards:evidence", args=[hazard.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )
    assert r.status_code == 302, r.content[:500]
    return Evidence.objects.filter(hazard=hazard).latest("pk")


# --- the photo viewer ------------------------------------------------------------------------


def test_a_photo_is_shown_inline_but_a_pdf_still_downloads(page, world):
    hazard = world.make_hazard()
    client = page(world.office)
    photo = evidence(client, hazard, "p.png", PNG)
    pdf = evidence(client, hazard, "d.pdf", PDF)
    shown = client.get(reverse("hazards:evidence_file", args=[hazard.pk, photo.pk]), {"inline": "1"})
    assert shown["Content-Disposition"].startswith("inline")
    assert shown["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert shown["X-Content-Type-Options"] == "nosniff"
    kept = client.get(reverse("hazards:evidence_file", args=[hazard.pk, pdf.pk]), {"inline": "1"})
    assert kept["Content-Disposition"].startswith("attachment")
    plain = client.get(reverse("hazards:evidence_file", args=[hazard.pk, photo.pk]))
    assert plain["Content-Disposition"].startswith("attachment")


def test_viewer_shows_before_and_after_side_by_side_and_is_scoped(page, world):
    hazard = world.make_hazard()
    client = page(world.office)
    before = evidence(client, hazard, "b.png", PNG, "before")
    after = evidence(client, hazard, "a.png", PNG, "after")
    pdf = evidence(client, hazard, "d.pdf", PDF, "after")
    url = reverse("hazards:evidence_view", args=[hazard.pk, before.pk])
    r = client.get(url)
    assert r.status_code == 200
    assert r.context["before"] == [before] and r.context["after"] == [after]
    detail = client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert url in detail and 'class="compare"' in detail
    assert client.get(reverse("hazards:evidence_view", args=[hazard.pk, pdf.pk])).status_code == 404
    assert page(world.officer_b).get(url).status_code == 404
    assert page(world.outsider).get(url).status_code == 404


def test_upload_field_lets_people_pick_a_file_or_take_a_photo(page, world):
    hazard = world.make_hazard()
    client = page(world.officer_a)
    body = client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    picker = re.search(r'<input type="file" name="file"[^>]*id="evidence_file"[^>]*>', body).group(0)
    assert "capture" not in picker and 'accept="image/*,application/pdf"' in picker
    assert re.search(r'<input type="file" name="file" accept="image/\*" capture="environment">', body)


# --- count, sorting --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["office", "inspector", "officer_a"])
def test_list_shows_the_total_count(page, world, who):
    for n in range(3):
        world.make_hazard(title=f"甲{n}")
    world.make_hazard(enterprise=world.enterprise_h, actor=world.outsider, title="哈尔滨")
    r = page(getattr(world, who)).get(LIST)
    assert (r.context["total"], r.context["total_exact"]) == (3, True)
    assert 'data-total="3"' in r.content.decode()
    r = page(getattr(world, who)).get(LIST, {"q": "甲1"})
    assert r.context["total"] == 1


def test_count_follows_the_filters_from_the_tally_and_directly(page, world, walk):
    walk(Hazard.Status.PENDING_ACCEPTANCE, title="待验收")
    walk(Hazard.Status.REPORTED, title="已上报", level="major")
    walk(Hazard.Status.REPORTED, enterprise=world.enterprise_b, title="乙")
    client = page(world.office)
    assert client.get(LIST, {"status": "pending_acceptance"}).context["total"] == 1
    assert client.get(LIST, {"level": "major", "open": "1"}).context["total"] == 1
    assert client.get(LIST, {"region": "210211"}).context["total"] == 1
    assert client.get(LIST, {"enterprise": world.enterprise_b.pk}).context["total"] == 1


def test_sort_by_due_date_pages_through_every_hazard_once(page, world, monkeypatch):
    monkeypatch.setattr("worksafe.hazards.views.PAGE_SIZE", 4)
    today = timezone.localdate()
    made = [world.make_hazard(title=f"h{n}", due_date=today + timedelta(days=n % 3)) for n in range(10)]
    client = page(world.office)
    seen, params = [], {"sort": "due"}
    while True:
        r = client.get(LIST, params)
        seen += [h.pk for h in r.context["hazards"]]
        if not r.context["next_cursor"]:
            break
        params = {"sort": "due", "cursor": r.context["next_cursor"]}
    expected = [h.pk for h in sorted(made, key=lambda h: (h.due_date, h.pk))]
    assert seen == expected


def test_major_first(page, world):
    world.make_hazard(title="一般")
    major = world.make_hazard(title="重大", level="major")
    r = page(world.office).get(LIST, {"sort": "major"})
    assert r.context["hazards"][0].pk == major.pk


def test_list_queries_do_not_grow_with_rows(page, world, count_queries):
    client = page(world.office)
    world.make_hazard()
    few = count_queries(lambda: client.get(LIST))
    for n in range(15):
        world.make_hazard(title=f"更多{n}", enterprise=world.enterprise_b if n % 2 else world.enterprise_a)
    assert count_queries(lambda: client.get(LIST)) == few
    assert count_queries(lambda: client.get(LIST, {"sort": "due", "q": "更多"})) == few


# --- batch actions ---------------------------------------------------------------------------


def ticked(*hazards) -> list[str]:
    return [f"{h.pk}:{h.version}" for h in hazards]


def test_batch_accept_reports_each_hazard(page, world, walk):
    pending = walk(Hazard.Status.PENDING_ACCEPTANCE, title="待验收")
    reported = walk(Hazard.Status.REPORTED, title="尚未整改")
    stale = walk(Hazard.Status.PENDING_ACCEPTANCE, title="被他人改过")
    stale_ids = ticked(stale)
    Hazard.objects.filter(pk=stale.pk).update(version=99)
    foreign = world.make_hazard(enterprise=world.enterprise_h, actor=world.outsider, title="哈尔滨")
    r = page(world.inspector).post(
        BULK,
        {
            "action": "accept",
            "note": "批量验收",
            "ids": [*ticked(pending, reported), *stale_ids, *ticked(foreign)],
        },
    )
    assert r.status_code == 200
    statuses = [row["outcome"].status for row in r.context["rows"]]
    assert statuses == [200, 422, 409, 404]
    assert Hazard.objects.get(pk=pending.pk).status == Hazard.Status.CLOSED
    assert Hazard.objects.get(pk=reported.pk).status == Hazard.Status.REPORTED
    body = r.content.decode()
    assert pending.number in body and reported.number in body and "哈尔滨" not in body
    assert (r.context["done"], r.context["refused"]) == (1, 3)


def test_batch_accept_lists_forbidden_hazards_with_the_reason(page, world, walk):
    # Found by an inspection: the enterprise may not accept it (design.md), whatever the batch.
    pending = walk(Hazard.Status.PENDING_ACCEPTANCE, title="检查发现")
    r = page(world.officer_a).post(BULK, {"action": "accept", "ids": ticked(pending)})
    row = r.context["rows"][0]
    assert row["outcome"].status == 403 and row["detail"]
    assert Hazard.objects.get(pk=pending.pk).status == Hazard.Status.PENDING_ACCEPTANCE


def test_batch_assign_sets_due_date_and_person(page, world):
    hazards = [world.make_hazard(title=f"待交办{n}") for n in range(3)]
    due = timezone.localdate() + timedelta(days=5)
    r = page(world.inspector).post(
        BULK,
        {
            "action": "assign",
            "due_date": due.isoformat(),
            "responsible_person": "王五",
            "ids": ticked(*hazards),
        },
    )
    assert r.context["done"] == 3
    for hazard in Hazard.objects.filter(pk__in=[h.pk for h in hazards]):
        assert (hazard.status, hazard.due_date, hazard.responsible_person) == ("rectifying", due, "王五")


def test_batch_with_nothing_ticked_changes_nothing(page, world):
    hazard = world.make_hazard()
    r = page(world.inspector).post(BULK, {"action": "accept", "ids": ["x:y"]}, follow=True)
    assert "Select at least one hidden danger." in r.content.decode()
    assert Hazard.objects.get(pk=hazard.pk).version == hazard.version


def test_leader_gets_no_batch_actions(page, world):
    hazard = world.make_hazard()
    client = page(world.leader)
    assert 'name="ids"' not in client.get(LIST).content.decode()
    assert client.post(BULK, {"action": "accept", "ids": ticked(hazard)}).status_code == 403


def test_export_selected_holds_only_the_ticked_rows_in_scope(page, world):
    first = world.make_hazard(title="第一")
    world.make_hazard(title="第二")
    foreign = world.make_hazard(enterprise=world.enterprise_h, actor=world.outsider, title="哈尔滨")
    r = page(world.office).post(reverse("hazards:export"), {"ids": ticked(first, foreign)})
    sheet = load_workbook(io.BytesIO(r.content)).active
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == [first.number]


# --- pickers ---------------------------------------------------------------------------------


def test_region_picker_starts_at_the_users_region_and_opens_on_demand(page, world):
    client = page(world.office)
    root = client.get(reverse("web:region_picker"))
    assert [r.code for r in root.context["regions"]] == ["210200"]
    children = client.get(reverse("web:region_picker"), {"parent": "210200"})
    codes = [r.code for r in children.context["regions"]]
    assert "210202" in codes and "210211" in codes
    assert all(code.startswith("2102") for code in codes)


@pytest.mark.parametrize("parent", ["230100", "210000", "999999", "abc"])
def test_region_picker_outside_the_users_area_is_404(page, world, parent):
    assert page(world.office).get(reverse("web:region_picker"), {"parent": parent}).status_code == 404


def test_region_picker_offers_an_enterprise_officer_nothing(page, world):
    client = page(world.officer_a)
    assert client.get(reverse("web:region_picker")).context["regions"] == []
    assert client.get(reverse("web:region_picker"), {"parent": "210200"}).status_code == 404


def test_enterprise_picker_finds_by_name_or_credit_code_in_scope(page, world):
    url = reverse("web:enterprise_picker")
    client = page(world.office)
    assert [e.pk for e in client.get(url, {"q": "大连甲"}).context["enterprises"]] == [world.enterprise_a.pk]
    code = world.enterprise_b.uscc[:12].lower()
    assert [e.pk for e in client.get(url, {"q": code}).context["enterprises"]] == [world.enterprise_b.pk]
    assert client.get(url, {"q": "哈尔滨"}).context["enterprises"] == []
    assert client.get(url, {"q": world.enterprise_h.uscc}).context["enterprises"] == []
    # An inspector of chemicals does not find the construction enterprise; an officer only its own.
    assert page(world.inspector).get(url, {"q": "大连丙"}).context["enterprises"] == []
    assert page(world.officer_b).get(url, {"q": "大连"}).context["enterprises"] == [world.enterprise_b]


def test_enterprise_picker_answers_at_most_twenty(page, world):
    from worksafe.testing import make_org

    for n in range(25):
        make_org(kind="enterprise", name=f"大连批量企业{n:02d}", region="210202")
    found = page(world.office).get(reverse("web:enterprise_picker"), {"q": "大连批量"}).context["enterprises"]
    assert len(found) == 20


def test_a_photo_taken_with_the_camera_button_is_uploaded(page, world):
    """The camera input shares the field's name; the browser must not demand the other one."""
    hazard = world.make_hazard()
    client = page(world.officer_a)
    body = client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert not re.search(r'<input type="file" name="file"[^>]*required', body)
    r = client.post(
        reverse("hazards:evidence", args=[hazard.pk]),
        {"kind": "after", "file": ["", SimpleUploadedFile("camera.png", PNG)]},
    )
    assert r.status_code == 302 and hazard.evidence.get().original_name == "camera.png"


def test_picker_queries_do_not_grow_with_matches(page, world, count_queries):
    from worksafe.testing import make_org

    client = page(world.office)
    url = reverse("web:enterprise_picker")
    few = count_queries(lambda: client.get(url, {"q": "大连"}))
    for n in range(10):
        make_org(kind="enterprise", name=f"大连又一企业{n}", region="210211")
    assert count_queries(lambda: client.get(url, {"q": "大连"})) == few
    # One region or a dozen children: the same queries (has_children is a subquery, not one per row).
    root = count_queries(lambda: client.get(reverse("web:region_picker")))
    assert count_queries(lambda: client.get(reverse("web:region_picker"), {"parent": "210200"})) == root + 1
