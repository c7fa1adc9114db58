from worksafe.core.filters import contains_any, matching
from worksafe.regions.models import Region


def test_absent_and_blank_values_filter_nothing(db):
    everything = Region.objects.all()
    conditions = {"code": "code", "name": contains_any("name")}
    assert matching(everything, {"code": None, "name": "  "}, conditions).count() == everything.count()


def test_each_value_narrows_by_its_condition(db):
    conditions = {"code": "code", "name": contains_any("name", "code")}
    assert list(matching(Region.objects.all(), {"code": "210200", "name": None}, conditions)) == [
        Region.objects.get(code="210200")
    ]
    found = matching(Region.objects.all(), {"code": None, "name": " 大连 "}, conditions)
    assert found.exists() and all("大连" in r.name for r in found)
