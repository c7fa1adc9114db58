import io

from django.urls import reverse
from openpyxl import load_workbook

from worksafe.hazards import views


def rows_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_export_has_scope_rows_only(page, world):
    a = world.make_hazard(title="甲公司隐患")
    world.make_hazard(enterprise=world.enterprise_b, title="乙公司隐患")
    world.make_hazard(enterprise=world.enterprise_h, title="哈尔滨隐患", actor=world.outsider)
    rows = rows_of(page(world.officer_a).get(reverse("hazards:export")))
    assert rows[0][:2] == ["Number", "Title"]
    assert [r[1] for r in rows[1:]] == ["甲公司隐患"]
    assert rows[1][0] == a.number
    rows = rows_of(page(world.office).get(reverse("hazards:export")))
    assert sorted(r[1] for r in rows[1:]) == ["乙公司隐患", "甲公司隐患"]


def test_export_uses_filters_and_chinese_headers(page, world):
    world.make_hazard(title="一般")
    world.make_hazard(title="重大", level="major")
    r = page(world.office).get(
        reverse("hazards:export"), {"level": "major"}, headers={"accept-language": "zh-hans"}
    )
    rows = rows_of(r)
    assert rows[0][:2] == ["编号", "标题"]
    assert [row[1] for row in rows[1:]] == ["重大"]
    assert rows[1][5] == "重大"  # level label in Chinese


def test_export_is_capped(page, world, monkeypatch):
    monkeypatch.setattr(views, "EXPORT_LIMIT", 2)
    for i in range(3):
        world.make_hazard(title=f"隐患{i}")
    rows = rows_of(page(world.office).get(reverse("hazards:export")))
    assert len(rows) == 1 + 2 + 1
    assert "Only the first 2 rows" in rows[-1][0]


def test_export_bad_filters_never_500(page, world):
    world.make_hazard()
    rows = rows_of(page(world.office).get(reverse("hazards:export"), {"region": "xx", "status": "??"}))
    assert len(rows) == 2


def test_export_query_count_does_not_grow(page, world, count_queries):
    client = page(world.office)
    world.make_hazard()
    one = count_queries(lambda: client.get(reverse("hazards:export")))
    for i in range(10):
        world.make_hazard(title=f"隐患{i}")
    assert count_queries(lambda: client.get(reverse("hazards:export"))) == one
