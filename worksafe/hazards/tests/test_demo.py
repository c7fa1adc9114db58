from worksafe.hazards import demo as hazards_demo
from worksafe.hazards.demo import REVIEWED_BY_EXPERT
from worksafe.hazards.selectors import hazard_list
from worksafe.web.management.commands.load_demo import Command


def test_the_demo_expert_has_hazards_to_review(db):
    ctx = Command().build_people()
    hazards_demo.load(ctx)
    assigned = hazard_list(visible_to=ctx["users"]["expert"])
    assert set(assigned.values_list("title", flat=True)) == REVIEWED_BY_EXPERT
