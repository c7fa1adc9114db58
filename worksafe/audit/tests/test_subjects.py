"""Events name their records by type: one list of types, the same strings the history holds."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.utils import timezone

from worksafe.accidents.models import Accident
from worksafe.assessment.models import Period
from worksafe.assessment.services import period_compute, period_create, period_transition
from worksafe.audit.models import (
    Event,
    SubjectType,
    canonical_payload,
    canonical_template,
    canonical_time,
    subject_type_of,
)
from worksafe.audit.services import record_event
from worksafe.hazards.models import Evidence, Hazard
from worksafe.hazards.services import hazard_transition
from worksafe.inspections.models import ChecklistTemplate, Inspection, InspectionPlan, Opinion, ResumptionCase
from worksafe.inspections.services import inspection_cancel, inspection_create, inspection_start
from worksafe.ledgers.models import ImportJob
from worksafe.orgs.models import Organization, User
from worksafe.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "stored"),
    [
        (Accident, "accident"),
        (Period, "assessment_period"),
        (ChecklistTemplate, "checklist"),
        (Hazard, "hazard"),
        (ImportJob, "import_job"),
        (Inspection, "inspection"),
        (InspectionPlan, "inspection_plan"),
        (Opinion, "opinion"),
        (Organization, "organization"),
        (Region, "region"),
        (ResumptionCase, "resumption_case"),
        (User, "user"),
    ],
)
def test_a_record_is_filed_under_the_type_its_history_already_has(model, stored):
    assert subject_type_of(model(pk=7)) == stored


def test_a_record_of_no_known_type_is_refused_and_nothing_is_written(world):
    hazard = world.make_hazard()
    count = Event.objects.count()
    with pytest.raises(ValueError):
        record_event(actor=world.office, subject=Evidence(pk=1, hazard=hazard), action="poke")
    assert Event.objects.count() == count


def test_every_event_the_services_store_names_a_subject_type(world):
    hazard = world.make_hazard()
    hazard_transition(
        actor=world.office, hazard_id=hazard.pk, action="assign", version=1, responsible_person="王五"
    )
    today = timezone.localdate()
    started = inspection_create(
        actor=world.inspector, target=world.enterprise_a.pk, kind="routine", planned_on=today
    )
    inspection_start(actor=world.inspector, inspection_id=started.pk)
    planned = inspection_create(
        actor=world.inspector, target=world.enterprise_a.pk, kind="routine", planned_on=today
    )
    inspection_cancel(actor=world.inspector, inspection_id=planned.pk, note="重复")
    period = period_create(
        actor=world.office, name="2026年度", region="210200", starts_on=dt.date(2026, 1, 1), ends_on=today
    )
    period_compute(actor=world.office, period_id=period.pk)
    period_transition(actor=world.office, period_id=period.pk, action="publish", version=2)
    stored = set(Event.objects.values_list("subject_type", flat=True))
    assert stored >= {"hazard", "inspection", "assessment_period"}
    assert stored <= set(SubjectType.values)


def test_no_code_spells_a_subject_type_by_hand():
    root = Path(__file__).resolve().parents[2]
    spelt = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if not any(part.startswith("tests") for part in path.parts)
        and "migrations" not in path.parts
        and 'subject_type="' in path.read_text()
    ]
    assert spelt == []


def test_the_bulk_template_fills_to_exactly_the_canonical_text():
    at = dt.datetime(2026, 3, 1, 9, 30, 15, 123, tzinfo=dt.UTC)
    data = {"title": "消防通道{堵塞}", "synthetic": True, "n": 3}
    fixed = {"actor_id": None, "actor_label": "", "subject_type": "hazard", "action": "create"}
    fixed |= {"from_status": "", "note": "备注 {不是槽}"}
    varying = {"event_id": 41, "prev_hash": "a" * 64, "subject_id": "17", "to_status": "closed"}
    expected = canonical_payload(at=at, data=data, **fixed, **varying)
    template = canonical_template(**fixed)
    filled = template.format(
        at=canonical_time(at),
        data=json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
        **varying,
    )
    assert filled == expected
    assert json.loads(filled)["data"]["title"] == "消防通道{堵塞}"
