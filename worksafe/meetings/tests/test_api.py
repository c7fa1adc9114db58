"""The meetings API: reading a report into a draft, recording a meeting, who sees it."""

from datetime import date

import pytest

from worksafe.audit.models import Event
from worksafe.meetings.models import BranchVenue, Meeting
from worksafe.meetings.services import meeting_create
from worksafe.meetings.tests.test_reader import COUNTY_REPORT, SAMPLES
from worksafe.testing import make_org

pytestmark = pytest.mark.usefixtures("frozen")

INSPECTION_TEAM = "dalian-inspection-team-2022.txt"


def city_meeting(world, **fields) -> Meeting:
    return meeting_create(
        actor=world.office,
        region="210200",
        title=fields.pop("title", "全市安全生产工作会议"),
        held_on=date(2026, 3, 9),
        **fields,
    )


def test_the_english_sample_reads_into_a_draft_and_nothing_is_saved(world, api):
    text = (SAMPLES / INSPECTION_TEAM).read_text()
    response = api(world.office).post("/api/v1/meetings/parse", {"text": text, "published_on": "2022-06-17"})

    assert response.status_code == 200
    draft = response.json()
    assert draft["held_on"] == "2022-06-15"
    assert draft["chair"] == "Zhang Lilin"
    assert draft["form"] == "work_meeting"
    assert "hazardous_chemicals" in draft["industries"]
    assert len(draft["directives"]) >= 10
    # No directive names a sector: each goes to the offices of the districts below the city.
    assert all(d["suggested_assignees"] == [world.committee_gjz.pk] for d in draft["directives"])
    assert not Meeting.objects.exists()


def test_a_chinese_report_suggests_the_nearest_supervising_departments(world, api):
    district_build = make_org(
        kind="department", name="甘井子区住建局", region="210211", industries=["construction"]
    )

    response = api(world.office_gjz).post("/api/v1/meetings/parse", {"text": COUNTY_REPORT})

    assert response.status_code == 200
    draft = response.json()
    assert (draft["chair"], draft["held_on"], draft["form"]) == ("周敏", "2024-06-03", "plenary")
    assert "陈立群" in draft["people"]
    sectors = next(d for d in draft["directives"] if d["industries"])
    assert {"hazardous_chemicals", "construction"} <= set(sectors["industries"])
    # Construction: the district's own department; chemicals: none in the district, so the city's.
    assert district_build.pk in sectors["suggested_assignees"]
    assert world.dept_build.pk not in sectors["suggested_assignees"]
    assert world.dept_em.pk in sectors["suggested_assignees"]
    # A district office has no region below it in the world: a sector-less directive goes nowhere.
    assert next(d for d in draft["directives"] if not d["industries"])["suggested_assignees"] == []


@pytest.mark.parametrize("body", [{"text": "  \n "}, {"text": ""}, {}])
def test_parse_without_text_answers_422_on_text(world, api, body):
    response = api(world.office).post("/api/v1/meetings/parse", body)

    assert response.status_code == 422
    assert "text" in response.json()["errors"]


def test_parse_in_a_region_outside_the_area_answers_422_on_region(world, api):
    response = api(world.office_gjz).post(
        "/api/v1/meetings/parse", {"text": COUNTY_REPORT, "region": "210202"}
    )

    assert response.status_code == 422
    assert "region" in response.json()["errors"]


@pytest.mark.parametrize("who", ["officer_a", "inspector", "leader", "expert"])
def test_only_offices_read_reports(world, api, who):
    response = api(getattr(world, who)).post("/api/v1/meetings/parse", {"text": COUNTY_REPORT})

    assert response.status_code == 403


def test_an_office_records_its_meeting_with_directives_and_branch_venues(world, api):
    body = {
        "region": "210200",
        "title": "全市安全生产电视电话会议",
        "held_on": "2026-03-09",
        "form": "video_conference",
        "chair": "金国卫",
        "people": ["金国卫", "谭成旭"],
        "industries": ["hazardous_chemicals", "gas"],
        "campaigns": ["安全生产治本攻坚三年行动"],
        "summary": "部署夏季安全生产工作",
        "directives": [{"text": "开展燃气安全排查", "industries": ["gas"]}, {"text": "压实责任"}],
        "venues": [{"region": "210211", "attendees": "区长、区应急局局长"}],
    }

    response = api(world.office).post("/api/v1/meetings", body)

    assert response.status_code == 201, response.content
    meeting = response.json()
    assert {
        k: meeting[k] for k in ("region", "title", "held_on", "form", "chair", "people", "industries")
    } == {k: body[k] for k in ("region", "title", "held_on", "form", "chair", "people", "industries")}
    assert meeting["organizer"] == world.committee.pk
    assert meeting["tasks"] == []
    assert [(d["text"], d["industries"]) for d in meeting["directives"]] == [
        ("开展燃气安全排查", ["gas"]),
        ("压实责任", []),
    ]
    assert meeting["venues"] == [{"region": "210211", "attendees": "区长、区应急局局长"}]
    assert Event.objects.filter(
        subject_type="meeting", subject_id=str(meeting["id"]), action="create"
    ).exists()
    assert api(world.office).get(f"/api/v1/meetings/{meeting['id']}").json() == meeting


@pytest.mark.parametrize(
    ("who", "change", "field"),
    [
        ("office_gjz", {}, "region"),  # the city's region is not the district's own
        ("office", {"region": "999999"}, "region"),
        ("office", {"title": "  "}, "title"),
        ("office", {"held_on": "2026-13-01"}, "held_on"),
        ("office", {"form": "banquet"}, "form"),
        ("office", {"industries": ["mining"]}, "industries.0"),
        ("office", {"relays": 987654}, "relays"),
        ("office", {"directives": [{"text": " "}]}, "directives.0.text"),
        ("office", {"venues": [{"region": "230100"}]}, "venues.0.region"),
    ],
)
def test_a_bad_meeting_answers_422_naming_the_field_and_saves_nothing(world, api, who, change, field):
    body = {"region": "210200", "title": "会议", "held_on": "2026-03-09", **change}

    response = api(getattr(world, who)).post("/api/v1/meetings", body)

    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Meeting.objects.exists() and not BranchVenue.objects.exists()


@pytest.mark.parametrize("who", ["leader", "inspector", "officer_a", "expert"])
def test_who_does_not_record_meetings_gets_403(world, api, who):
    response = api(getattr(world, who)).post(
        "/api/v1/meetings", {"region": "210200", "title": "会议", "held_on": "2026-03-09"}
    )

    assert response.status_code == 403
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("office", True),
        ("leader", True),
        ("office_gjz", True),  # a district sees the city's meeting that reaches it
        ("inspector", True),
        ("inspector_zs", True),
        ("admin", True),
        ("outsider", False),
        ("officer_a", False),
        ("expert", False),
    ],
)
def test_a_city_meeting_reaches_the_regions_below_and_no_one_else(world, api, who, sees):
    meeting = city_meeting(world)
    client = api(getattr(world, who))

    detail = client.get(f"/api/v1/meetings/{meeting.pk}")
    listed = client.get("/api/v1/meetings")

    assert detail.status_code == (200 if sees else 404)
    assert listed.status_code == 200
    assert [m["id"] for m in listed.json()["items"]] == ([meeting.pk] if sees else [])


def test_a_district_meeting_is_seen_above_but_not_by_a_sibling_district(world, api):
    meeting = meeting_create(
        actor=world.office_gjz, region="210211", title="区安委会会议", held_on=date(2026, 3, 9)
    )

    assert api(world.office).get(f"/api/v1/meetings/{meeting.pk}").status_code == 200
    assert api(world.inspector_zs).get(f"/api/v1/meetings/{meeting.pk}").status_code == 404


def test_a_meeting_relays_a_higher_one_it_sees(world, api):
    higher = city_meeting(world)

    response = api(world.office_gjz).post(
        "/api/v1/meetings",
        {"region": "210211", "title": "传达全市会议精神", "held_on": "2026-03-10", "relays": higher.pk},
    )

    assert response.status_code == 201
    assert response.json()["relays"] == higher.pk


def test_the_list_pages_newest_first(world, api):
    meetings = [city_meeting(world, title=f"会议{i}") for i in range(3)]
    client = api(world.office)

    first = client.get("/api/v1/meetings", limit=2).json()
    second = client.get("/api/v1/meetings", limit=2, cursor=first["next"]).json()

    assert [m["id"] for m in first["items"]] == [meetings[2].pk, meetings[1].pk]
    assert [m["id"] for m in second["items"]] == [meetings[0].pk]
    assert second["next"] is None
