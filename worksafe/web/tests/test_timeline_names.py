"""Timelines name people as colleagues know them (their full name), not by their login."""

import re
from datetime import UTC, datetime
from decimal import Decimal

from django.urls import reverse

from worksafe.accidents.services import accident_create
from worksafe.audit.models import Event
from worksafe.hazards.services import hazard_transition


def timeline(html: str, start: str) -> str:
    """The part of the page from the timeline heading on."""
    return html[html.index(start) :]


def test_hazard_timeline_shows_full_names(page, world):
    world.office.name, world.officer_a.name = "王主任", "刘安全员"
    world.office.save()
    world.officer_a.save()
    hazard = world.make_hazard(actor=world.officer_a, source="self_check")
    hazard_transition(
        actor=world.office, hazard_id=hazard.pk, action="assign", version=1, responsible_person="张三"
    )
    html = page(world.office).get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    names = re.findall(r'<span class="meta">([^<]*)</span>', timeline(html, 'id="timeline"'))
    assert names == ["刘安全员", "王主任"]


def test_accident_timeline_shows_full_names(page, world):
    world.office.name = "王主任"
    world.office.save()
    accident = accident_create(
        actor=world.office,
        occurred_at=datetime(2026, 3, 10, 1, 0, tzinfo=UTC),
        region="210202",
        industry="hazardous_chemicals",
        deaths=1,
        serious_injuries=0,
        direct_economic_loss=Decimal("800000"),
    )
    html = page(world.office).get(reverse("accidents:detail", args=[accident.pk])).content.decode()
    entries = re.findall(r"<li>([^<]*)</li>", timeline(html, "<h2>Timeline</h2>"))
    assert [entry.split(" · ")[1] for entry in entries] == ["王主任"]
    # The audit chain keeps the login it was written with.
    assert Event.objects.for_subject("accident", accident.pk).get().actor_label == "office"
