"""A finished inspection reads plainly: hidden dangers by their number, no dangling separators,
and the start position as rounded degrees."""

import re
from decimal import Decimal

from django.urls import reverse
from django.utils import translation

from worksafe.hazards.models import Hazard


def test_finished_inspection_names_hazards_by_number_and_position_in_words(world, client, plan_inspection):
    inspection = plan_inspection("routine")
    client.force_login(world.inspector)
    url = reverse("inspections:detail", args=[inspection["id"]])
    client.post(reverse("inspections:start", args=[inspection["id"]]), {"lat": "38.92", "lng": "121.63"})
    client.post(
        reverse("inspections:finding", args=[inspection["id"]]), {"title": "安全出口上锁", "level": "general"}
    )
    assert (
        client.post(
            reverse("inspections:finish", args=[inspection["id"]]), {"allow_unanswered": "on"}
        ).status_code
        == 302
    )
    hazard = Hazard.objects.get(title="安全出口上锁")

    english = client.get(url).content.decode()
    assert f'<a href="{reverse("hazards:detail", args=[hazard.pk])}">{hazard.number}</a>' in english
    assert f"#{hazard.pk}<" not in english
    assert not re.search(r"·\s*</", english)  # no separator left before a closing tag
    assert "38.9200° N, 121.6300° E" in english and "38.920000" not in english
    chinese = client.get(url, headers={"accept-language": "zh-hans"}).content.decode()
    assert "北纬 38.9200°，东经 121.6300°" in chinese


def test_start_position_south_and_west_and_unknown(world):
    from worksafe.inspections.models import Inspection

    with translation.override("en"):
        south_west = Inspection(start_lat=Decimal("-33.867860"), start_lng=Decimal("-70.650000"))
        assert south_west.start_position == "33.8679° S, 70.6500° W"
    assert Inspection().start_position == ""


def test_referral_without_legal_basis_has_no_dangling_separator(world, client, api):
    created = api(world.inspector_zs).post(
        "/api/v1/enforcement",
        {"target": world.enterprise_a.pk, "kind": "referral", "referred_to": world.dept_em.pk},
    )
    assert created.status_code == 201, created.content
    client.force_login(world.inspector_zs)
    html = client.get(reverse("inspections:enforcement_list")).content.decode()
    assert f"→ {world.dept_em.name}</small>" in html
