from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from worksafe.audit.services import record_event
from worksafe.core.errors import Invalid

from .models import Region


@transaction.atomic
def region_create(*, actor, code: str, name: str, parent: str | None, edition: str = "") -> Region:
    if Region.objects.filter(pk=code).exists():
        raise Invalid.field("code", _("This region code exists already."))
    parent_obj = Region.objects.filter(pk=parent).first() if parent else None
    if parent and parent_obj is None:
        raise Invalid.field("parent", _("Unknown region code."))
    region = Region(code=code, name=(name or "").strip(), parent=parent_obj, edition=edition)
    try:
        region.full_clean()
    except ValidationError as exc:
        raise Invalid(_("Please correct the marked fields."), exc.message_dict) from None
    region.save()
    record_event(
        actor=actor,
        subject_type="region",
        subject_id=code,
        action="create",
        data={"name": region.name, "parent": parent or ""},
    )
    return region
