"""The register as an Excel ledger: one sheet, one row per hidden danger, streamed."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from worksafe.core import xlsx
from worksafe.orgs.models import Industry

from .models import Hazard


def register_workbook(queryset, *, today: date, limit: int) -> Workbook:
    """At most `limit` rows of `queryset`, then a row saying the rest was left out."""
    workbook = Workbook(write_only=True)  # streams rows: the register may be long
    sheet = workbook.create_sheet(_("Hidden dangers"))
    for column, width in zip(
        "ABCDEFGHIJKLMN", (22, 40, 30, 14, 14, 8, 12, 12, 12, 10, 14, 24, 10, 18), strict=True
    ):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    sheet.append(
        [
            _("Number"),
            _("Title"),
            _("Enterprise"),
            _("Region"),
            _("Industry"),
            _("Level"),
            pgettext("hazard", "Source"),
            _("Status"),
            _("Due date"),
            _("Days overdue"),
            _("Responsible person"),
            _("Location"),
            _("Rejections"),
            _("Registered at"),
        ]
    )
    # Labels translated once: get_FOO_display() per cell costs more than writing the sheet.
    industries = {code: str(label) for code, label in Industry.choices}
    levels = {code: str(label) for code, label in Hazard.Level.choices}
    sources = {code: str(label) for code, label in Hazard.Source.choices}
    statuses = {code: str(label) for code, label in Hazard.Status.choices}
    for count, hazard in enumerate(queryset[: limit + 1].iterator(chunk_size=2000), start=1):
        if count > limit:
            sheet.append(
                [_("Only the first %(n)s rows are exported; narrow the filters for the rest.") % {"n": limit}]
            )
            break
        xlsx.append(
            sheet,
            [
                hazard.number,
                hazard.title,
                hazard.enterprise.name,
                hazard.region.name,
                industries.get(hazard.industry, hazard.industry),
                levels.get(hazard.level, hazard.level),
                sources.get(hazard.source, hazard.source),
                statuses.get(hazard.status, hazard.status),
                hazard.due_date,
                hazard.days_overdue(today),
                hazard.responsible_person,
                hazard.location,
                hazard.rejection_count,
                timezone.localtime(hazard.created_at).replace(tzinfo=None),
            ],
        )
    return workbook
