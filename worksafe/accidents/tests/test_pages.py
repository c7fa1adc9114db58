import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from worksafe.accidents.models import Accident, Track
from worksafe.accidents.services import accident_create


def make(world, **overrides):
    fields = {
        "actor": world.office,
        "occurred_at": datetime(2026, 3, 10, 1, 0, tzinfo=UTC),
        "region": "210202",
        "industry": "hazardous_chemicals",
        "deaths": 1,
        "serious_injuries": 0,
        "direct_economic_loss": Decimal("800000"),
        "enterprise": world.enterprise_a.pk,
    }
    fields.update(overrides)
    return accident_create(**fields)


def test_report_page_creates_and_redirects(page, world, frozen):
    client = page(world.officer_a)
    shown = client.get(reverse("accidents:create"))
    assert shown.status_code == 200
    assert 'name="deaths"' in shown.content.decode()
    assert 'data-draft="accident-report"' in shown.content.decode()  # kept on the phone while typing
    data = {
        "occurred_at": "2026-03-10T09:00",
        "region": "210202",
        "industry": "hazardous_chemicals",
        "deaths": "3",
        "missing": "0",
        "serious_injuries": "0",
        "direct_economic_loss": "1000",
    }
    r = client.post(reverse("accidents:create"), data)
    assert r.status_code == 302
    accident = Accident.objects.get()
    assert accident.enterprise_id == world.enterprise_a.pk and accident.grade == "larger"
    detail = client.get(r["Location"])
    assert detail.status_code == 200
    assert "style=" not in detail.content.decode()
    assert 'data-draft-clear="accident-report"' in detail.content.decode()
    assert "<script>" not in detail.content.decode()


def test_report_page_keeps_input_on_error(page, world, frozen):
    client = page(world.office)
    data = {
        "occurred_at": "2026-03-10T09:00",
        "region": "230100",
        "industry": "hazardous_chemicals",
        "deaths": "0",
        "missing": "0",
        "serious_injuries": "0",
        "direct_economic_loss": "12345.67",
        "summary": "储罐爆燃",
    }
    r = client.post(reverse("accidents:create"), data)
    assert r.status_code == 422
    html = r.content.decode()
    assert "12345.67" in html and "储罐爆燃" in html
    assert Accident.objects.count() == 0


def test_report_page_forbidden_for_leader(page, world):
    assert page(world.leader).get(reverse("accidents:create")).status_code == 403


def test_case_file_scope_and_queries(page, world, frozen, django_assert_max_num_queries):
    accident = make(world)
    url = reverse("accidents:detail", args=[accident.pk])
    assert page(world.outsider).get(url).status_code == 404
    assert page(world.officer_b).get(url).status_code == 404
    assert page(world.inspector_build).get(url).status_code == 404
    client = page(world.office)
    with django_assert_max_num_queries(18):
        shown = client.get(url)
    assert shown.status_code == 200
    html = shown.content.decode()
    for kind in Track.Kind:
        assert f'value="{kind.value}"' in html  # one findings form per track of 一案三查
    assert "Reported → General" in html  # the timeline reads as words, not codes
    make(world, deaths=3)
    make(world, enterprise=world.enterprise_b.pk, region="210211")
    with django_assert_max_num_queries(8):
        listing = client.get(reverse("accidents:list"))
    assert f'href="{url}"' in listing.content.decode()
    assert f'href="{url}"' not in page(world.officer_b).get(reverse("accidents:list")).content.decode()


def test_figures_update_from_page_and_stale_version(page, world, frozen):
    accident = make(world)
    client = page(world.office)
    url = reverse("accidents:casualties", args=[accident.pk])
    data = {"version": 1, "deaths": 10, "missing": 0, "serious_injuries": 0, "direct_economic_loss": "800000"}
    assert client.post(url, data).status_code == 302
    accident.refresh_from_db()
    assert accident.grade == "serious"
    r = client.post(url, {**data, "deaths": 1})
    assert r.status_code == 302  # stale: message and the fresh page, nothing changed
    accident.refresh_from_db()
    assert accident.deaths == 10
    assert page(world.leader).post(url, {**data, "version": 2}).status_code == 403


def test_tracks_and_conclusion_from_page(page, world, frozen):
    accident = make(world)
    client = page(world.office)
    r = client.post(
        reverse("accidents:conclude", args=[accident.pk]), {"version": 1, "conclusion": "责任事故"}
    )
    assert r.status_code == 422
    assert "conclusion" in r.content.decode() or "责任事故" in r.content.decode()
    r = client.post(
        reverse("accidents:track", args=[accident.pk]), {"kind": "enterprise", "findings": "", "close": "on"}
    )
    assert r.status_code == 422
    r = client.post(
        reverse("accidents:track", args=[accident.pk]),
        {"kind": "enterprise", "findings": "已查明", "close": "on"},
    )
    assert r.status_code == 302
    assert accident.investigation.tracks.get(kind="enterprise").status == "closed"
    r = client.post(
        reverse("accidents:extend", args=[accident.pk]),
        {"version": 1, "days": 61, "approved_by": "x", "reason": "y"},
    )
    assert r.status_code == 422


def test_decision_from_page_flags_out_of_range(page, world, frozen):
    accident = make(world)
    client = page(world.office)
    url = reverse("accidents:decision", args=[accident.pk])
    data = {"subject": "enterprise", "kind": "administrative_fine", "basis": "第114条", "amount": "100000"}
    r = client.post(url, data)
    assert r.status_code == 422
    assert "100000" in r.content.decode()
    r = client.post(url, {**data, "outside_range_reason": "主动报告、积极救援"})
    assert r.status_code == 302
    assert accident.decisions.get().outside_range is True
    assert page(world.officer_a).post(url, data).status_code == 403


def test_record_report_from_page(page, world, frozen):
    accident = make(world)
    duty = accident.report_duties.order_by("due_at").first()
    url = reverse("accidents:report_made", args=[accident.pk, duty.pk])
    assert page(world.officer_a).post(url, {"reported_at": "2026-03-10T09:30"}).status_code == 302
    duty.refresh_from_db()
    assert duty.reported_at is not None and duty.status == "on_time"
    county = accident.report_duties.order_by("due_at")[1]
    url = reverse("accidents:report_made", args=[accident.pk, county.pk])
    assert page(world.officer_a).post(url, {}).status_code == 403


@pytest.mark.parametrize("name", ["casualties", "investigation", "extend", "track", "conclude", "decision"])
def test_actions_of_another_region_are_404(page, world, frozen, name):
    accident = make(world)
    r = page(world.outsider).post(reverse(f"accidents:{name}", args=[accident.pk]), {"version": 1})
    assert r.status_code == 404
    duty = accident.report_duties.first()
    for action in ("report_made", "report_flag"):
        url = reverse(f"accidents:{action}", args=[accident.pk, duty.pk])
        assert page(world.officer_b).post(url, {"note": "x"}).status_code == 404


def test_case_page_has_no_duplicate_ids(page, world, frozen):
    """Each reporting duty and track has its own form ids, so every label names its input."""
    import re
    from collections import Counter

    accident = make(world)
    body = page(world.office).get(reverse("accidents:detail", args=[accident.pk])).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', body))
    assert [i for i, n in ids.items() if n > 1] == []
    for target in re.findall(r'<label for="([^"]+)"', body):
        assert ids[target] == 1, target


def test_report_form_assumes_no_industry_and_zero_deaths(page, world, frozen):
    form = page(world.office).get(reverse("accidents:create")).context["form"]
    assert form["industry"].value() in (None, "")
    assert form["deaths"].value() == 0 and form["missing"].value() == 0
    assert form.fields["industry"].choices[0][0] == ""


def _report(client, **overrides):
    data = {
        "occurred_at": "2026-03-10T09:00",
        "region": "210202",
        "industry": "hazardous_chemicals",
        "deaths": "5",
        "missing": "0",
        "serious_injuries": "0",
        "direct_economic_loss": "1",
    }
    data.update(overrides)
    return client.post(reverse("accidents:create"), data)


@pytest.mark.parametrize("overrides", [{"region": "420115"}, {"region": "210211"}, {"industry": "gas"}])
def test_s2_report_page_keeps_an_enterprise_in_its_area(page, world, frozen, overrides):
    r = _report(page(world.officer_a), **overrides)
    assert r.status_code == 422
    assert not Accident.objects.exists()
    assert "errorlist" in r.content.decode()


def test_s2_report_page_keeps_an_inspector_in_its_scope(page, world, frozen):
    assert _report(page(world.inspector_zs), region="210211").status_code == 422
    assert _report(page(world.inspector_build)).status_code == 422
    assert not Accident.objects.exists()
    assert _report(page(world.inspector_zs)).status_code == 302


def test_s2_figures_page_refuses_an_accident_outside_the_enterprise(page, world, frozen):
    accident = make(world, actor=world.admin, region="420115", industry="gas")
    url = reverse("accidents:casualties", args=[accident.pk])
    data = {"version": 1, "deaths": 40, "missing": 0, "serious_injuries": 0, "direct_economic_loss": "800000"}
    assert page(world.officer_a).post(url, data).status_code == 403
    accident.refresh_from_db()
    assert accident.deaths == 1


def test_s3_figures_page_refuses_lowering_government_figures(page, world, frozen):
    accident = make(world, actor=world.inspector, deaths=12)
    url = reverse("accidents:casualties", args=[accident.pk])
    data = {"version": 1, "deaths": 0, "missing": 0, "serious_injuries": 0, "direct_economic_loss": "800000"}
    r = page(world.officer_a).post(url, data)
    assert r.status_code == 403
    assert "government" in r.content.decode()
    accident.refresh_from_db()
    assert accident.deaths == 12 and accident.grade == "serious" and accident.version == 1
    assert page(world.officer_a).post(url, {**data, "deaths": 13}).status_code == 302
    accident.refresh_from_db()
    assert accident.deaths == 13
    assert page(world.inspector).post(url, {**data, "version": 2, "deaths": 0}).status_code == 302
    accident.refresh_from_db()
    assert accident.grade == "general"


def _track_box_checked(client, accident, kind: str) -> bool:
    """Whether the case page shows the track's "closed" box ticked, as a browser would send it."""
    page = client.get(reverse("accidents:detail", args=[accident.pk]))
    box = re.search(rf'<input[^>]*id="track_{kind}_close"[^>]*>', page.content.decode())
    assert box, page.status_code
    return "checked" in box.group(0)


def test_editing_a_closed_tracks_findings_on_the_page_keeps_it_closed(world, frozen, page):
    accident = make(world)
    client = page(world.office)
    url = reverse("accidents:track", args=[accident.pk])
    assert not _track_box_checked(client, accident, "enterprise")
    assert client.post(url, {"kind": "enterprise", "findings": "已查明", "close": "on"}).status_code == 302
    closed_at = accident.investigation.tracks.get(kind="enterprise").closed_at
    frozen.shift(60)
    # The page sends back what it shows: the box as it is, and the findings typed.
    data = {"kind": "enterprise", "findings": "已查明，补充了证据"}
    if _track_box_checked(client, accident, "enterprise"):
        data["close"] = "on"
    assert client.post(url, data).status_code == 302
    track = accident.investigation.tracks.get(kind="enterprise")
    assert (track.status, track.findings, track.closed_at) == ("closed", "已查明，补充了证据", closed_at)
    # Unticking the box is what reopens it.
    assert client.post(url, {"kind": "enterprise", "findings": "重新调查"}).status_code == 302
    assert accident.investigation.tracks.get(kind="enterprise").status == "open"
