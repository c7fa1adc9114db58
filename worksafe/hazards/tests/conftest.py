import pytest

from worksafe.hazards.models import Hazard
from worksafe.hazards.services import hazard_plan, hazard_transition

FULL_PLAN = {
    "measures": "更换报警器并联锁切断",
    "responsible_person": "李四",
    "funds": "12000.50",
    "contingency_plan": "泄漏应急预案",
}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# The path through the lifecycle to reach each status, as (action, extra) steps.
PATHS = {
    Hazard.Status.REPORTED: [],
    Hazard.Status.RECTIFYING: [("assign", {"responsible_person": "王五"})],
    Hazard.Status.PENDING_ACCEPTANCE: [("assign", {"responsible_person": "王五"}), ("submit", {})],
    Hazard.Status.CLOSED: [("assign", {"responsible_person": "王五"}), ("submit", {}), ("accept", {})],
    Hazard.Status.CANCELLED: [("cancel", {"note": "重复登记"})],
}


def complete_plan(world, hazard: Hazard) -> Hazard:
    from django.utils import timezone

    return hazard_plan(
        actor=world.office,
        hazard_id=hazard.pk,
        version=hazard.version,
        deadline=timezone.localdate(),
        **FULL_PLAN,
    )


def bring_to(world, hazard: Hazard, status: str, *, actor=None) -> Hazard:
    """Walk a hazard to `status` through the services, as the office by default."""
    actor = actor or world.office
    if hazard.level == Hazard.Level.MAJOR and status != Hazard.Status.REPORTED:
        hazard = complete_plan(world, hazard)
    for action, extra in PATHS[status]:
        hazard = hazard_transition(
            actor=actor, hazard_id=hazard.pk, action=action, version=hazard.version, **extra
        )
    assert hazard.status == status
    return hazard


@pytest.fixture
def walk(world):
    """walk(status, **hazard_fields) -> a hazard in that status."""

    def make(status=Hazard.Status.REPORTED, **fields):
        return bring_to(world, world.make_hazard(**fields), status)

    return make
