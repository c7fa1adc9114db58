"""Checklists: an office adapts a template by copying it, then adds and removes items."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from worksafe.audit.services import record_event
from worksafe.core.errors import Forbidden, Invalid, NotFound, clean_text
from worksafe.orgs.models import User

from .. import rules
from ..models import ChecklistItem, ChecklistTemplate
from ..selectors import checklist_in_use, checklist_list
from .common import raise_invalid


@transaction.atomic
def checklist_copy(*, actor: User, template_id: int, name: str = "") -> ChecklistTemplate:
    """Adapt a template without a code change: copy it with its items. Copying one's own
    template makes its next version; an inspection keeps the version it used."""
    source = checklist_list(visible_to=actor).filter(pk=template_id).first()
    if source is None:
        raise NotFound()
    if not rules.may_adapt_checklists(actor):
        raise Forbidden(_("Only administrators and offices adapt checklists."))
    errors: dict = {}
    name = clean_text(name, "name", errors, max_length=200) or source.name
    raise_invalid(errors)
    owner = actor.organization
    if source.owner_id is not None and source.owner_id == getattr(owner, "pk", None):
        code = source.code
    else:
        code = f"org{owner.pk}-{source.industry}" if owner else f"admin-{source.industry}"
    version = (ChecklistTemplate.objects.filter(code=code).aggregate(v=Max("version"))["v"] or 0) + 1
    copy = ChecklistTemplate.objects.create(
        code=code,
        version=version,
        industry=source.industry,
        name=name,
        source=source.source,
        owner=owner,
        based_on=source,
        created_by=actor,
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            template=copy,
            position=i.position,
            text=i.text,
            gloss=i.gloss,
            is_major=i.is_major,
            source=i.source,
        )
        for i in source.items.all()
    )
    record_event(
        actor=actor,
        subject=copy,
        action="copy",
        data={"from": source.pk, "code": code, "version": version},
    )
    return copy


def _own_template(actor: User, template_id: int) -> ChecklistTemplate:
    template = checklist_list(visible_to=actor).select_for_update(of=("self",)).filter(pk=template_id).first()
    if template is None:
        raise NotFound()
    if not rules.may_edit_checklist(actor, template):
        raise Forbidden(_("Copy this checklist to adapt it."))
    if checklist_in_use(template):
        raise Invalid.field(
            "template", _("This version is used by an inspection; copy it to make a new version.")
        )
    return template


@transaction.atomic
def checklist_item_add(
    *, actor: User, template_id: int, text: str, gloss: str = "", is_major: bool = False, source: str = ""
) -> ChecklistItem:
    template = _own_template(actor, template_id)
    errors: dict = {}
    text = clean_text(text, "text", errors, required=True, max_length=2000)
    gloss = clean_text(gloss, "gloss", errors, max_length=2000)
    source = clean_text(source, "source", errors, max_length=300)
    raise_invalid(errors)
    position = (template.items.aggregate(p=Max("position"))["p"] or 0) + 1
    item = ChecklistItem.objects.create(
        template=template, position=position, text=text, gloss=gloss, is_major=bool(is_major), source=source
    )
    record_event(
        actor=actor,
        subject=template,
        action="item_add",
        data={"item": item.pk, "text": text, "is_major": item.is_major},
    )
    return item


@transaction.atomic
def checklist_item_remove(*, actor: User, template_id: int, item_id: int) -> None:
    template = _own_template(actor, template_id)
    item = template.items.filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    record_event(
        actor=actor,
        subject=template,
        action="item_remove",
        data={"item": item.pk, "text": item.text},
    )
    item.delete()
