"""How to build an object a given viewer must NOT see, for every kind of path parameter.

The scope matrix (test_scope_matrix.py) fills each route's path parameters from here. A new
route whose parameter is not listed makes the matrix fail: add an entry, so that no route
reaches production without its scope being tried.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from worksafe.testing import PNG

# Who looks, and whose enterprise's objects they must not reach, and why.
VIEWERS = {
    "outsider": ("enterprise_a", "another region"),
    "leader": ("enterprise_h", "another region"),
    "office_gjz": ("enterprise_a", "another district"),
    "inspector_zs": ("enterprise_b", "another district"),
    "inspector": ("enterprise_c", "another industry"),
    "officer_a": ("enterprise_b", "another enterprise"),
    "expert": ("enterprise_a", "not assigned to the expert"),
}

# Reference data every signed-in user may read: nothing to hide.
PUBLIC = "public"


def _hazard(world, viewer, ent):
    return world.make_hazard(actor=world.admin, enterprise=ent, title=f"SECRET-{ent.pk}")


def _evidence(world, viewer, ent):
    from worksafe.hazards.services import hazard_add_evidence

    hazard = _hazard(world, viewer, ent)
    upload = SimpleUploadedFile("p.png", PNG, content_type="image/png")
    evidence = hazard_add_evidence(actor=world.admin, hazard_id=hazard.pk, upload=upload, kind="before")
    return {"hazard": hazard.pk, "evidence": evidence.pk}


def _organization(world, viewer, ent):
    return ent


def _user(world, viewer, ent):
    officer = {
        world.enterprise_a: world.officer_a,
        world.enterprise_b: world.officer_b,
        world.enterprise_c: world.officer_c,
        world.enterprise_h: world.officer_h,
    }
    return officer[ent]


def _inspector_for(world, ent):
    """An inspector of a department supervising the enterprise (Harbin gets one on demand)."""
    from worksafe.orgs.models import User
    from worksafe.testing import make_org, make_user

    if ent == world.enterprise_c:
        return world.inspector_build
    if ent != world.enterprise_h:
        return world.inspector
    existing = User.objects.filter(username="inspector_h").first()
    if existing:
        return existing
    dept = make_org(
        kind="department",
        name="哈尔滨市应急管理局",
        region=ent.region_id,
        industries=[ent.industry],
        can_penalize=True,
    )
    return make_user("inspector_h", role="inspector", organization=dept)


def _inspection(world, viewer, ent):
    from worksafe.inspections.services import inspection_create

    return inspection_create(
        actor=_inspector_for(world, ent),
        target=ent.pk,
        kind="routine",
        planned_on=timezone.localdate() + timedelta(days=3),
    )


def _checklist(world, viewer, ent):
    from worksafe.inspections.models import ChecklistTemplate
    from worksafe.inspections.services import checklist_copy

    owner = world.office if viewer == "outsider" else world.outsider
    shipped = ChecklistTemplate.objects.filter(owner__isnull=True).order_by("pk").first()
    copy = checklist_copy(actor=owner, template_id=shipped.pk, name="SECRET checklist")
    return {"checklist": copy.pk, "checklist_item": copy.items.order_by("pk").first().pk}


def _inspection_item(world, viewer, ent):
    inspection = _inspection(world, viewer, ent)
    item = inspection.checklist.items.order_by("pk").first() if inspection.checklist_id else None
    return {"inspection": inspection.pk, "inspection_item": item.pk if item else 1}


def _photo(world, viewer, ent):
    from worksafe.inspections.services import inspection_start, photo_add

    inspection = _inspection(world, viewer, ent)
    inspector = _inspector_for(world, ent)
    inspection_start(actor=inspector, inspection_id=inspection.pk)
    upload = SimpleUploadedFile("p.png", PNG, content_type="image/png")
    photo = photo_add(actor=inspector, inspection_id=inspection.pk, upload=upload)
    return {"inspection": inspection.pk, "photo": photo.pk}


def _plan(world, viewer, ent):
    from worksafe.inspections.services import plan_create

    owner = world.office if viewer == "outsider" else world.outsider
    return plan_create(
        actor=owner,
        name="SECRET plan",
        method="random",
        kind="routine",
        planned_on=timezone.localdate() + timedelta(days=5),
        target_count=1,
        team_size=1,
        pool=[],
    )


def _opinion(world, viewer, ent):
    from worksafe.inspections.models import Opinion

    inspection = _inspection(world, viewer, ent)
    return Opinion.objects.create(
        inspection=inspection,
        addressee=ent,
        region_id=ent.region_id,
        text="SECRET opinion",
        deadline=timezone.localdate() + timedelta(days=10),
    )


def _enforcement(world, viewer, ent):
    from worksafe.inspections.services import enforcement_create

    return enforcement_create(
        actor=_inspector_for(world, ent),
        target=ent.pk,
        kind="order_rectify",
        legal_basis="SECRET basis",
        deadline=timezone.localdate() + timedelta(days=10),
    )


def _accident(world, viewer, ent):
    from worksafe.accidents.services import accident_create

    accident = accident_create(
        actor=world.admin,
        occurred_at=timezone.now() - timedelta(hours=2),
        region=ent.region_id,
        industry=ent.industry,
        enterprise=ent.pk,
        deaths=0,
        serious_injuries=1,
        direct_economic_loss="1000.00",
        summary="SECRET accident",
    )
    duty = accident.report_duties.order_by("pk").first() if hasattr(accident, "report_duties") else None
    if duty is None:
        from worksafe.accidents.models import ReportDuty

        duty = ReportDuty.objects.filter(accident=accident).order_by("pk").first()
    return {"accident": accident.pk, "duty": duty.pk if duty else 1}


def _period(world, viewer, ent):
    from worksafe.assessment.services import period_create

    today = timezone.localdate()
    owner = world.admin
    return period_create(
        actor=owner,
        name="SECRET period",
        region=ent.region_id,
        starts_on=today.replace(month=1, day=1),
        ends_on=today.replace(month=12, day=31),
    )


def _indicator(world, viewer, ent):
    period = _period(world, viewer, ent)
    return {"period": period.pk, "indicator": period.indicators.order_by("pk").first().pk}


def _meeting(world, viewer, ent):
    from worksafe.meetings.models import Meeting

    # A department sees every meeting of the regions above and below its own, whatever the
    # sector: the city's department is kept out by a meeting of another city.
    region = "230100" if viewer == "inspector" else ent.region_id
    return Meeting.objects.create(
        region_id=region,
        organizer=world.harbin if region == "230100" else world.committee,
        title="SECRET meeting",
        held_on=timezone.localdate(),
        created_by=world.admin,
    )


def _import_job(world, viewer, ent):
    from django.core.files.base import ContentFile

    from worksafe.ledgers.models import ImportJob, ImportKind

    job = ImportJob(user=world.office, kind=ImportKind.values[0], original_name="SECRET.xlsx")
    job.file.save("secret.xlsx", ContentFile(b"PK\x03\x04 not really"), save=False)
    job.save()
    return job


def _api_token(world, viewer, ent):
    from worksafe.orgs.models import ApiToken
    from worksafe.testing import bearer

    return ApiToken.objects.get(prefix=bearer(_user(world, viewer, ent))[:8])


# kind -> factory(world, viewer_name, enterprise) returning the object, its pk, or a dict of
# {kind: pk} when one object brings others with it (an evidence file and its hazard).
FACTORIES = {
    "hazard": _hazard,
    "evidence": _evidence,
    "organization": _organization,
    "user": _user,
    "inspection": _inspection,
    "inspection_item": _inspection_item,
    "photo": _photo,
    "checklist": _checklist,
    "checklist_item": _checklist,
    "plan": _plan,
    "opinion": _opinion,
    "enforcement": _enforcement,
    "accident": _accident,
    "duty": _accident,
    "period": _period,
    "indicator": _indicator,
    "import_job": _import_job,
    "meeting": _meeting,
    "api_token": _api_token,
}

# API path parameter -> kind (or PUBLIC, or a fixed literal in a tuple).
API_PARAMS = {
    "hazard_id": "hazard",
    "evidence_id": "evidence",
    "org_id": "organization",
    "user_id": "user",
    "code": PUBLIC,  # regions: reference data
    "inspection_id": "inspection",
    "checklist_id": "checklist",
    "item_id": "checklist_item",
    "photo_id": "photo",
    "plan_id": "plan",
    "opinion_id": "opinion",
    "enforcement_id": "enforcement",
    "accident_id": "accident",
    "duty_id": "duty",
    "kind": ("literal", "enterprise"),  # an investigation track: a code, not an object
    "period_id": "period",
    "indicator_id": "indicator",
    "job_id": "import_job",
    "meeting_id": "meeting",
}

# Page path parameters: "namespace:url_name.param" first, then "namespace:*.param".
PAGE_PARAMS = {
    "hazards:*.pk": "hazard",
    "hazards:*.eid": "evidence",
    "web:enterprise_detail.pk": "organization",
    "inspections:*.pk": "inspection",
    "inspections:answer.item": "inspection_item",
    "inspections:photo_file.photo_id": "photo",
    "inspections:opinion_act.pk": "opinion",
    "inspections:checklist.pk": "checklist",
    "inspections:checklist_copy.pk": "checklist",
    "inspections:plan.pk": "plan",
    "accidents:*.pk": "accident",
    "accidents:*.duty_pk": "duty",
    "assessment:*.pk": "period",
    "assessment:indicator_update.indicator_pk": "indicator",
    "ledgers:*.pk": "import_job",
    "meetings:*.pk": "meeting",
    "ledgers:template.kind": ("literal", "enterprise"),  # a ledger kind, not an object
    "orgs:user_edit.pk": "user",
    "orgs:user_reset.pk": "user",
    "orgs:organization_edit.pk": "organization",
    "orgs:token_revoke.pk": "api_token",  # another person's token
    "regions:edit.code": ("literal", "210200"),  # reference data; the pages are the admin's
}
