"""The Chinese pages speak Chinese: the main page of every module, as every demo role, carries no
English word that should have been translated (only names, codes and units stay)."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse

from worksafe.accidents.models import Accident
from worksafe.assessment.models import Period
from worksafe.hazards.models import Hazard
from worksafe.inspections.models import ChecklistTemplate, Inspection, InspectionPlan
from worksafe.ledgers.models import ImportJob
from worksafe.orgs.models import Organization, User

# Words that stay as they are in a Chinese page: product and format names, and the language menu.
ALLOWED = {"WorkSafe", "Excel", "PDF", "API", "English", "xlsx", "GB", "km", "kg", "m"}
ENGLISH_WORD = re.compile(r"(?<![A-Za-z0-9_.@/-])[A-Za-z]{2,}(?![A-Za-z0-9_@/-])")


class VisibleText(HTMLParser):
    """Text a reader sees: text nodes outside scripts and styles, plus labels held in attributes."""

    SHOWN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.hidden += 1
        attributes = dict(attrs)
        self.parts += [value for name, value in attrs if name in self.SHOWN_ATTRIBUTES and value]
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.parts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def english_words(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    return {w for w in ENGLISH_WORD.findall(" ".join(parser.parts)) if w not in ALLOWED}


def test_english_words_are_found_in_text_but_not_in_codes_or_scripts():
    html = (
        '<p>版本: Version 3</p><input placeholder="Search"><script>var x = "Hidden";</script>'
        "<p>YH210211-2026-000012 · 91210211MA0000000X · Excel 导入 · PDF</p>"
    )
    assert english_words(html) == {"Version", "Search"}


def main_pages() -> list[str]:
    hazard = Hazard.objects.filter(level="major").exclude(plan_measures="").first()
    inspection = Inspection.objects.filter(status="finished").first()
    ongoing = Inspection.objects.exclude(status="finished").first()
    accident = Accident.objects.order_by("pk").first()
    enterprise = Organization.objects.filter(kind="enterprise").first()
    period = Period.objects.first()
    job = ImportJob.objects.first()
    pages = [
        reverse("web:home"),
        reverse("hazards:list"),
        reverse("hazards:create"),
        reverse("hazards:detail", args=[hazard.pk]),
        reverse("hazards:plan", args=[hazard.pk]),
        reverse("web:enterprise_list"),
        reverse("web:enterprise_detail", args=[enterprise.pk]),
        reverse("inspections:list"),
        reverse("inspections:new"),
        reverse("inspections:detail", args=[inspection.pk]),
        reverse("inspections:detail", args=[ongoing.pk]),
        reverse("inspections:checklists"),
        reverse("inspections:checklist", args=[ChecklistTemplate.objects.first().pk]),
        reverse("inspections:enforcement_list"),
        reverse("inspections:enforcement_new"),
        reverse("inspections:activity"),
        reverse("inspections:plan_new"),
        reverse("accidents:list"),
        reverse("accidents:create"),
        reverse("accidents:detail", args=[accident.pk]),
        reverse("assessment:list"),
        reverse("assessment:create"),
        reverse("assessment:detail", args=[period.pk]),
        reverse("ledgers:upload"),
    ]
    if plan := InspectionPlan.objects.first():
        pages.append(reverse("inspections:plan", args=[plan.pk]))
    if job:
        pages.append(reverse("ledgers:job", args=[job.pk]))
    return pages


@pytest.mark.django_db
def test_chinese_pages_carry_no_untranslated_english(client):
    call_command("load_demo", stdout=io.StringIO())  # computed in English: stored texts must not leak
    pages = main_pages()
    found, seen = {}, 0
    for user in User.objects.exclude(role="admin"):
        client.force_login(user)
        for url in pages:
            response = client.get(url, headers={"accept-language": "zh-hans"})
            assert response.status_code in (200, 403, 404), (user.username, url, response.status_code)
            if response.status_code == 200:
                seen += 1
                assert '<html lang="zh-hans">' in response.content.decode()
                if words := english_words(response.content.decode()):
                    found[f"{user.username} {url}"] = sorted(words)
    assert seen > 100
    assert not found, "\n".join(f"{page}: {words}" for page, words in found.items())
