import pytest
from django.utils import timezone

from worksafe.inspections.models import ChecklistTemplate

URL = "/api/v1/inspections"


@pytest.fixture
def chem_checklist(db) -> ChecklistTemplate:
    return ChecklistTemplate.objects.get(code="national-hazardous_chemicals", version=1)


@pytest.fixture
def plan_inspection(world, api):
    """plan_inspection(kind="unannounced", by=world.inspector, target=world.enterprise_a) -> JSON."""

    def make(kind="routine", *, by=None, target=None, **extra):
        by = by or world.inspector
        target = target or world.enterprise_a
        body = {"target": target.pk, "kind": kind, "planned_on": timezone.localdate().isoformat(), **extra}
        response = api(by).post(URL, body)
        assert response.status_code == 201, response.content
        return response.json()

    return make
