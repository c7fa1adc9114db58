"""Scope has one definition in two forms: the query every selector filters with (scope_q) and the
predicate rules and services judge one row with (admits). They must never disagree."""

from datetime import timedelta

import pytest
from django.utils import timezone

from worksafe.accidents.models import Accident
from worksafe.accidents.services import accident_create
from worksafe.hazards.models import Hazard
from worksafe.inspections.models import Inspection
from worksafe.inspections.services import inspection_create
from worksafe.orgs.models import Organization, User
from worksafe.orgs.scope import admits, scope_q


@pytest.fixture
def rows(world):
    for enterprise, actor in (
        (world.enterprise_a, world.office),
        (world.enterprise_b, world.office),
        (world.enterprise_c, world.inspector_build),
        (world.enterprise_h, world.outsider),
    ):
        world.make_hazard(enterprise=enterprise, actor=actor)
    when = timezone.now() - timedelta(days=1)
    figures = {"occurred_at": when, "deaths": 0, "serious_injuries": 1, "direct_economic_loss": "1000"}
    accident_create(actor=world.officer_a, region="210202", industry="hazardous_chemicals", **figures)
    # filed by the city in another district than the enterprise's own; one with no enterprise
    accident_create(
        actor=world.office,
        region="210211",
        industry="hazardous_chemicals",
        enterprise=world.enterprise_a.pk,
        **figures,
    )
    accident_create(actor=world.office, region="210211", industry="construction", **figures)
    accident_create(actor=world.outsider, region="230100", industry="gas", **figures)
    today = timezone.localdate()
    for target, actor, kind in (
        (world.enterprise_a, world.inspector, "routine"),
        (world.enterprise_c, world.inspector_build, "routine"),
        (world.committee_gjz, world.office, "government_supervision"),  # no industry
        (world.enterprise_h, world.outsider, "routine"),
    ):
        inspection_create(actor=actor, target=target.pk, kind=kind, planned_on=today)
    return world


# (model, lookups for scope_q, the row's values for admits)
FORMS = [
    (Hazard, {}, lambda h: (h.region_id, h.industry, h.enterprise_id)),
    (Accident, {}, lambda a: (a.region_id, a.industry, a.enterprise_id)),
    (Inspection, {"enterprise": "target_id"}, lambda i: (i.region_id, i.industry, i.target_id)),
    (Organization, {"enterprise": "pk"}, lambda o: (o.region_id, o.industry, o.pk)),
]


def test_admits_is_scope_q_for_every_person_and_row(rows):
    people = list(User.objects.select_related("organization"))
    assert len(people) >= 13
    outcomes = {True: 0, False: 0}
    for model, lookups, values in FORMS:
        objects = list(model.objects.all())
        assert len(objects) >= 4, model
        for person in people:
            seen = set(model.objects.filter(scope_q(person, **lookups)).values_list("pk", flat=True))
            for obj in objects:
                region, industry, enterprise = values(obj)
                predicate = admits(person, region=region, industry=industry, enterprise=enterprise)
                assert predicate is (obj.pk in seen), (model.__name__, person.username, obj.pk)
                outcomes[predicate] += 1
    assert outcomes[True] > 30 and outcomes[False] > 30, outcomes  # both answers exercised


def test_nobody_signed_out_or_disabled_is_admitted(rows):
    rows.office.is_active = False
    row = Hazard.objects.first()
    assert not admits(rows.office, region=row.region_id, industry=row.industry, enterprise=row.enterprise_id)
    assert not Hazard.objects.filter(scope_q(rows.office)).exists()
