"""The meeting pages: paste a report, correct the draft, save; the list and a meeting."""

import re

import pytest

from worksafe.meetings.models import Meeting
from worksafe.meetings.tests.test_api import city_meeting
from worksafe.meetings.tests.test_reader import COUNTY_REPORT

pytestmark = pytest.mark.usefixtures("frozen")


def _filled(response) -> dict:
    """The draft form as the browser would send it back, unchanged."""
    meeting, directives = response.context["meeting"], response.context["directives"]
    data = {"step": "save"}
    for name, field in meeting.fields.items():
        value = field.prepare_value(meeting.initial.get(name, ""))
        data[name] = (
            [str(v) for v in value] if isinstance(value, list) else ("" if value is None else str(value))
        )
    for key, value in directives.management_form.initial.items():
        data[f"directives-{key}"] = value
    for form in directives.forms:
        data[f"{form.prefix}-text"] = form.initial.get("text", "")
        data[f"{form.prefix}-industries"] = form.initial.get("industries", [])
    return data


def test_a_pasted_report_becomes_a_meeting_in_one_step(world, page):
    client = page(world.office)
    assert client.get("/meetings/new/").status_code == 200

    draft = client.post("/meetings/new/", {"step": "read", "text": COUNTY_REPORT, "published_on": ""})

    assert draft.status_code == 200
    html = draft.content.decode()
    assert 'value="周敏"' in html and "安全生产治本攻坚三年行动" in html
    assert "大连市应急管理局" in html  # a suggested assignee of the sector directive
    assert not Meeting.objects.exists()
    data = _filled(draft)
    data["title"] = "县安委会2024年第二次全体会议"  # corrected by the person
    data["directives-0-DELETE"] = "on"

    saved = client.post("/meetings/new/", data)

    meeting = Meeting.objects.get()
    assert saved.status_code == 302 and saved.url == f"/meetings/{meeting.pk}/"
    assert (meeting.title, meeting.chair, meeting.region_id) == (
        "县安委会2024年第二次全体会议",
        "周敏",
        "210200",
    )
    assert meeting.people == ["陈立群", "周敏", "刘海涛", "吴芳"]
    assert meeting.minutes == COUNTY_REPORT  # the report itself is kept
    directives = list(meeting.directives.all())
    assert len(directives) == 3 and "gas" in directives[0].industries
    detail = client.get(saved.url)
    assert detail.status_code == 200 and "周敏" in detail.content.decode()


def test_an_empty_report_is_refused_on_the_page(world, page):
    response = page(world.office).post("/meetings/new/", {"step": "read", "text": "   "})

    assert response.status_code == 200
    assert response.context["read"].errors["text"]
    assert response.context["meeting"] is None


def test_a_bad_draft_is_shown_again_with_its_errors_and_nothing_saved(world, page):
    draft = page(world.office).post("/meetings/new/", {"step": "read", "text": COUNTY_REPORT})
    data = {**_filled(draft), "held_on": ""}

    response = page(world.office).post("/meetings/new/", data)

    assert response.status_code == 200
    assert response.context["meeting"].errors["held_on"]
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("who", "listing", "reading", "detail"),
    [
        ("office", 200, 200, 200),
        ("office_gjz", 200, 200, 200),
        ("leader", 200, 403, 200),
        ("inspector", 200, 403, 200),
        ("outsider", 200, 200, 404),
        ("officer_a", 403, 403, 404),
        ("expert", 403, 403, 404),
    ],
)
def test_who_reaches_which_page(world, page, who, listing, reading, detail):
    meeting = city_meeting(world)
    client = page(getattr(world, who))

    assert client.get("/meetings/").status_code == listing
    assert client.get("/meetings/new/").status_code == reading
    assert client.get(f"/meetings/{meeting.pk}/").status_code == detail


def test_the_list_offers_reading_a_report_only_to_who_may(world, page):
    city_meeting(world)

    office = page(world.office).get("/meetings/").content.decode()
    leader = page(world.leader).get("/meetings/").content.decode()

    assert "全市安全生产工作会议" in office and "全市安全生产工作会议" in leader
    assert 'href="/meetings/new/"' in office
    assert not re.search(r'href="/meetings/new/"', leader)


def test_the_pages_speak_chinese(world, page):
    meeting = city_meeting(world, form="video_conference")
    client = page(world.office)
    client.cookies["django_language"] = "zh-hans"

    listing = client.get("/meetings/").content.decode()
    detail = client.get(f"/meetings/{meeting.pk}/").content.decode()
    reading = client.get("/meetings/new/").content.decode()

    assert "识读会议报道" in listing and "电视电话会议" in listing
    assert "会议形式" in detail and "工作部署" in detail
    assert "报道全文" in reading and "发布日期" in reading
