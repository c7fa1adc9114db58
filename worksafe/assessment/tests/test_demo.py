from worksafe.accidents import demo as accidents_demo
from worksafe.accidents.models import Accident
from worksafe.assessment import demo as assessment_demo
from worksafe.assessment.models import Period, Result
from worksafe.audit.services import verify_chain
from worksafe.web.management.commands.load_demo import Command


def test_demo_story(db):
    ctx = Command().build_people()
    accidents_demo.load(ctx)
    assessment_demo.load(ctx)
    general = Accident.objects.get(grade="general")
    assert general.investigation.status == "open"
    assert general.investigation.tracks.filter(status="closed").count() == 1
    period = Period.objects.get()
    assert period.status == "published"
    vetoed = Result.objects.filter(subject__period=period, vetoed=True)
    assert [r.subject.region_id for r in vetoed] == ["210203"]
    assert vetoed[0].veto_accident.grade == "larger"
    assert verify_chain() is None
