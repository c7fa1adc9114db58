from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from worksafe.audit.services import record_event
from worksafe.core.errors import Forbidden, Invalid, NotFound, clean_text

from . import rules
from .models import Region, code_validator


def _require_manager(actor) -> None:
    if not rules.may_manage_regions(actor):
        raise Forbidden(_("Only an administrator adds regions."))


def _full_clean(region: Region) -> None:
    try:
        region.full_clean()
    except ValidationError as exc:
        raise Invalid(_("Please correct the marked fields."), exc.message_dict) from None


@transaction.atomic
def region_create(*, actor, code: str, name: str, parent: str | None, edition: str = "") -> Region:
    _require_manager(actor)
    if not code_validator.regex.match(code or ""):
        raise Invalid.field("code", code_validator.message)
    if Region.objects.filter(pk=code).exists():
        raise Invalid.field("code", _("This region code exists already."))
    parent_obj = Region.objects.filter(pk=parent).first() if parent else None
    if parent and parent_obj is None:
        raise Invalid.field("parent", _("Unknown region code."))
    region = Region(code=code, name=(name or "").strip(), parent=parent_obj, edition=edition)
    _full_clean(region)
    region.save()
    record_event(
        actor=actor,
        subject=region,
        action="create",
        data={"name": region.name, "parent": parent or ""},
    )
    return region


@transaction.atomic
def region_update(*, actor, code: str, name: str | None = None, edition: str | None = None) -> Region:
    """Renames a region or records its code edition. The code and the parent never change: a
    new code is a new region (§7.2), and every record keyed by the old one stays as it was."""
    _require_manager(actor)
    region = Region.objects.select_for_update().filter(pk=code).first()
    if region is None:
        raise NotFound()
    before = {"name": region.name, "edition": region.edition}
    errors: dict[str, list] = {}
    if name is not None:
        region.name = clean_text(name, "name", errors, required=True, max_length=100)
    if edition is not None:
        region.edition = clean_text(edition, "edition", errors, max_length=10)
    if errors:
        raise Invalid(_("Please correct the marked fields."), errors)
    _full_clean(region)
    after = {"name": region.name, "edition": region.edition}
    changed = {f: [before[f], after[f]] for f in before if before[f] != after[f]}
    if changed:
        region.save(update_fields=["name", "edition"])
        record_event(actor=actor, subject=region, action="update", data={"changed": changed})
    return region
