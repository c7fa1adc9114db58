from io import BytesIO

from openpyxl import load_workbook

URL = "/api/v1/inspections/activity"


def _finish(api, user, insp_id, item_ids=()):
    client = api(user)
    client.post(f"/api/v1/inspections/{insp_id}/start")
    for item in item_ids:
        client.post(f"/api/v1/inspections/{insp_id}/answers", {"item": item, "result": "fail"})
    assert client.post(f"/api/v1/inspections/{insp_id}/finish").status_code == 200


def _rows(response):
    return {(r["kind"], r["id"]): r for r in response.json()["items"]}


def test_who_inspects_but_never_enforces(
    world, api, plan_inspection, chem_checklist, django_assert_max_num_queries
):
    items = list(chem_checklist.items.values_list("pk", flat=True)[:2])
    _finish(api, world.inspector, plan_inspection("routine")["id"], items)
    _finish(api, world.inspector_zs, plan_inspection("routine", by=world.inspector_zs)["id"], items[:1])
    api(world.inspector).post(
        "/api/v1/enforcement",
        {"target": world.enterprise_a.pk, "kind": "fine", "amount": "10000", "legal_basis": "《安全生产法》"},
    )
    client = api(world.office)
    with django_assert_max_num_queries(8):
        response = client.get(URL)
    assert response.status_code == 200
    rows = _rows(response)
    em = rows[("inspector", world.inspector.pk)]
    assert (em["inspections"], em["hazards"], em["enforcement"], em["only_inspects"]) == (1, 2, 1, False)
    zs = rows[("inspector", world.inspector_zs.pk)]
    assert (zs["inspections"], zs["hazards"], zs["enforcement"], zs["only_inspects"]) == (1, 1, 0, True)
    assert rows[("department", world.dept_zs.pk)]["only_inspects"] is True
    # an earlier period shows nothing done
    empty = _rows(client.get(URL, start="2020-01-01", end="2020-12-31"))
    assert all(r["inspections"] == 0 for r in empty.values())
    assert client.get(URL, start="2021-01-01", end="2020-01-01").status_code == 422
    assert client.get(URL, start="yesterday").status_code == 422


def test_activity_is_scoped(world, api):
    assert api(world.outsider).get(URL).json()["items"] == []
    assert api(world.officer_a).get(URL).json()["items"] == []
    mine = _rows(api(world.inspector).get(URL))
    assert set(mine) == {("inspector", world.inspector.pk), ("department", world.dept_em.pk)}


def test_page_and_excel_export(world, client, api, plan_inspection):
    _finish(api, world.inspector_zs, plan_inspection("routine", by=world.inspector_zs)["id"])
    client.force_login(world.office)
    page = client.get("/inspections/activity/")
    assert page.status_code == 200 and "中山区应急管理局" in page.content.decode()
    export = client.get("/inspections/activity/", {"format": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(export.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    names = [row[1] for row in values[2:]]
    assert world.inspector_zs.display_name in names
    zs_row = next(row for row in values[2:] if row[1] == world.inspector_zs.display_name)
    assert zs_row[3] == 1 and zs_row[5] == 0


def test_two_members_of_one_department_count_the_inspection_once_for_it(
    world, api, plan_inspection, chem_checklist
):
    from worksafe.testing import make_user

    colleague = make_user("inspector2", role="inspector", organization=world.dept_em)
    item = chem_checklist.items.first().pk
    insp = plan_inspection("routine", team=[world.inspector.pk, colleague.pk])
    _finish(api, world.inspector, insp["id"], [item])
    rows = _rows(api(world.office).get(URL))
    assert rows[("department", world.dept_em.pk)]["inspections"] == 1
    assert rows[("department", world.dept_em.pk)]["hazards"] == 1
    assert rows[("inspector", colleague.pk)]["inspections"] == 1
