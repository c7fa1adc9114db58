"""A checklist item shows in the reader's language only: Chinese pages carry no English gloss
and English pages no Chinese text, unless the item lacks the reader's language."""

import pytest
from django.urls import reverse

from worksafe.inspections.models import ChecklistItem


@pytest.mark.parametrize(
    "language,shown,hidden",
    [("zh-hans", "text", "gloss"), ("en", "gloss", "text")],
)
def test_checklist_page_shows_items_in_the_active_language(
    world, client, chem_checklist, language, shown, hidden
):
    item = chem_checklist.items.exclude(gloss="").first()
    client.force_login(world.inspector)
    html = client.get(
        reverse("inspections:checklist", args=[chem_checklist.pk]), headers={"accept-language": language}
    ).content.decode()
    assert f'<html lang="{language}">' in html
    assert getattr(item, shown) in html
    assert getattr(item, hidden) not in html


def test_an_item_missing_the_active_language_falls_back_to_the_other(world, client, chem_checklist):
    only_chinese = ChecklistItem.objects.create(template=chem_checklist, position=99, text="仅有中文的检查项")
    client.force_login(world.inspector)
    url = reverse("inspections:checklist", args=[chem_checklist.pk])
    assert only_chinese.text in client.get(url, headers={"accept-language": "en"}).content.decode()


def test_inspection_page_shows_items_in_the_active_language(world, client, chem_checklist, plan_inspection):
    inspection = plan_inspection(checklist=chem_checklist.pk)
    client.force_login(world.inspector)
    client.post(reverse("inspections:start", args=[inspection["id"]]))
    item = chem_checklist.items.exclude(gloss="").first()
    url = reverse("inspections:detail", args=[inspection["id"]])
    chinese = client.get(url, headers={"accept-language": "zh-hans"}).content.decode()
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert item.text in chinese and item.gloss not in chinese
    assert item.gloss in english and item.text not in english
