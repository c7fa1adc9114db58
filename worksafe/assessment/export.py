"""The published ranking as an Excel workbook (one sheet, one row per subject)."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from worksafe.core import xlsx

from .models import Period, Result
from .selectors import results


def result_label(result: Result) -> str:
    if result.vetoed:
        return _("Failed (vetoed)")
    if result.no_data:
        return _("No data")
    return _("Passed") if result.passed else _("Below the pass mark")


def ranking_workbook(period: Period) -> bytes:
    rows = list(results(period))
    indicators = list(period.indicators.all())
    book = Workbook()
    sheet = book.active
    sheet.title = _("Ranking")[:31]
    xlsx.append(sheet, [period.name, f"{period.starts_on} – {period.ends_on}"])
    header = [_("Rank"), _("Subject"), _("Score"), _("Result"), _("Veto reason")]
    header += [f"{i.name} ({i.weight})" for i in indicators]
    xlsx.append(sheet, header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for result in rows:
        by_indicator = {item["indicator"]: item["score"] for item in result.breakdown}
        xlsx.append(
            sheet,
            [
                result.rank,
                result.subject.name,
                float(result.score),
                result_label(result),
                result.veto_text,
                *[float(by_indicator[i.pk]) if i.pk in by_indicator else None for i in indicators],
            ],
        )
    sheet.column_dimensions["B"].width = 30
    sheet.column_dimensions["E"].width = 50
    return xlsx.to_bytes(book)
