"""The spreadsheets themselves: columns of each kind, blank templates, reading an upload, and
writing the result back next to the rows."""

import io
import itertools
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

import openpyxl
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from worksafe.core import xlsx
from worksafe.core.errors import Invalid
from worksafe.hazards.models import Hazard
from worksafe.orgs.models import Industry

from .models import ImportKind

# Excel's own last row: a sheet claiming a row beyond it was not made by a spreadsheet.
EXCEL_MAX_ROW = 1_048_576
# Unpacked size of all parts: a small zip may inflate to gigabytes.
MAX_UNPACKED = 100 * 1024 * 1024
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


@dataclass(frozen=True)
class Column:
    code: str  # English code: second header row, API field names in results
    zh: str  # the header officials write
    label: object  # translatable name shown on pages
    required: bool = False
    width: int = 18


COLUMNS = {
    ImportKind.ENTERPRISES: [
        Column("name", "企业名称", pgettext_lazy("ledger column", "Name"), True, 30),
        Column(
            "uscc", "统一社会信用代码", pgettext_lazy("ledger column", "Unified social credit code"), True, 22
        ),
        Column("region", "行政区划代码", pgettext_lazy("ledger column", "Region code"), True, 14),
        Column("industry", "行业", pgettext_lazy("ledger column", "Industry"), True, 20),
        Column("address", "地址", pgettext_lazy("ledger column", "Address"), False, 30),
        Column("legal_representative", "法定代表人", pgettext_lazy("ledger column", "Legal representative")),
        Column("safety_principal", "安全负责人", pgettext_lazy("ledger column", "Safety principal")),
        Column("staff_count", "从业人员数", pgettext_lazy("ledger column", "Staff count"), False, 12),
    ],
    ImportKind.HAZARDS: [
        Column(
            "enterprise_uscc",
            "企业统一社会信用代码",
            pgettext_lazy("ledger column", "Enterprise credit code"),
            True,
            22,
        ),
        Column("title", "隐患名称", pgettext_lazy("ledger column", "Title"), True, 30),
        Column("description", "隐患描述", pgettext_lazy("ledger column", "Description"), False, 40),
        Column("location", "隐患部位", pgettext_lazy("ledger column", "Location"), False, 20),
        Column("level", "隐患等级", pgettext_lazy("ledger column", "Level"), True, 10),
        Column("source", "隐患来源", pgettext_lazy("ledger column", "Source"), True, 12),
        Column("due_date", "整改期限", pgettext_lazy("ledger column", "Due date"), True, 12),
        Column(
            "responsible_person",
            "整改责任人",
            pgettext_lazy("ledger column", "Responsible person"),
            False,
            14,
        ),
    ],
}
ROW_KEY = "_row"  # errors that belong to the whole row, not one column
RESULT_HEADER = ("结果", "result")


def columns(kind: str) -> list[Column]:
    return COLUMNS[ImportKind(kind)]


def column_labels(kind: str) -> dict[str, str]:
    labels = {c.code: str(c.label) for c in columns(kind)}
    labels[ROW_KEY] = pgettext("ledger column", "Row")
    return labels


def _choices_in_both_languages(choices) -> dict[str, str]:
    """code, English label and Chinese label (any case) -> code."""
    aliases = {}
    for code, label in choices.choices:
        aliases[code.lower()] = code
        for lang in ("en", "zh-hans"):
            with translation.override(lang):
                aliases[str(label).strip().lower()] = code
    return aliases


# Words ledgers commonly use besides the labels (domain.md §2.1 names the two levels).
SYNONYMS = {
    "level": {"一般": "general", "一般隐患": "general", "重大": "major", "重大隐患": "major"},
    "source": {
        "自查": "self_check",
        "企业自查": "self_check",
        "检查": "inspection",
        "监督检查": "inspection",
        "执法检查": "inspection",
        "举报": "public_report",
        "群众举报": "public_report",
        "其他": "other",
    },
}


# The columns that hold one of a fixed set of values: a drop-down in the template.
CHOICES = {"industry": Industry, "level": Hazard.Level, "source": Hazard.Source}


def choice_aliases() -> dict[str, dict[str, str]]:
    return {
        field: {**SYNONYMS.get(field, {}), **_choices_in_both_languages(choices)}
        for field, choices in CHOICES.items()
    }


def choice_labels(field: str) -> list[str]:
    """The values of a choice column as the user reads them (the active language)."""
    return [str(label) for label in CHOICES[field].labels]


def max_bytes() -> int:
    # Read at call time so that settings overrides (tests, per-site limits) reach it.
    return settings.WORKSAFE_LEDGER_MAX_BYTES


def max_rows() -> int:
    return settings.WORKSAFE_LEDGER_MAX_ROWS


# --- templates --------------------------------------------------------------------------------

HEAD_FONT = Font(bold=True)
CODE_FONT = Font(italic=True, color="666666")
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def template_workbook(kind: str) -> bytes:
    """A blank ledger: Chinese headers, English codes in the second row, then a sheet of the
    codes a cell may hold, and notes."""
    kind = ImportKind(kind)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "企业" if kind == ImportKind.ENTERPRISES else "隐患"
    for i, col in enumerate(columns(kind), start=1):
        head = xlsx.write(ws, 1, i, col.zh + (" *" if col.required else ""))
        head.font, head.fill = HEAD_FONT, HEAD_FILL
        xlsx.write(ws, 2, i, col.code).font = CODE_FONT
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = "A3"

    codes = wb.create_sheet("代码 codes")
    xlsx.append(codes, ["字段 field", "代码 code", "中文", "English"])
    for field in [c.code for c in columns(kind) if c.code in CHOICES]:
        for code, label in CHOICES[field].choices:
            with translation.override("zh-hans"):
                zh = str(label)
            with translation.override("en"):
                en = str(label)
            xlsx.append(codes, [field, code, zh, en])
    for i in range(1, 5):
        codes.column_dimensions[get_column_letter(i)].width = 24

    notes = wb.create_sheet("说明 notes")
    notes.append(["第1行为中文表头，第2行为字段代码，请从第3行起填写；带 * 的列必填。"])
    notes.append(
        [
            "Row 1 holds the Chinese headers, row 2 the field codes; fill from row 3. Columns marked * are required."
        ]
    )
    notes.append(
        [
            "代码列可填代码或中文名称（见“代码 codes”表）。Code columns take the code or its Chinese or English name."
        ]
    )
    if kind == ImportKind.ENTERPRISES:
        notes.append(
            ["行政区划代码为6位国家标准代码，如 210202。Region code: 6-digit GB/T 2260 code, e.g. 210202."]
        )
    else:
        notes.append(["整改期限格式 YYYY-MM-DD 或 Excel 日期。Due date: YYYY-MM-DD or an Excel date."])
        notes.append(
            ["企业须已登记且在您的管辖范围内。The enterprise must be registered and within your scope."]
        )
    notes.column_dimensions["A"].width = 100
    _drop_downs(wb, ws, kind)
    return xlsx.to_bytes(wb)


def _drop_downs(wb, ws, kind: str) -> None:
    """A drop-down of the labels (in the user's language) on every choice column. Typing a code
    or the other language's label stays possible: Excel only warns, the import accepts both."""
    lists = wb.create_sheet("lists")
    lists.sheet_state = "hidden"
    for i, col in enumerate([c for c in columns(kind) if c.code in CHOICES], start=1):
        letter = get_column_letter(i)
        labels = choice_labels(col.code)
        for r, label in enumerate(labels, start=1):
            lists.cell(row=r, column=i, value=label)
        check = DataValidation(
            type="list",
            formula1=f"=lists!${letter}$1:${letter}${len(labels)}",
            errorStyle="warning",
            error=_("Choose a value from the list (codes are accepted too)."),
        )
        target = get_column_letter([c.code for c in columns(kind)].index(col.code) + 1)
        check.add(f"{target}3:{target}{max_rows() + 2}")
        ws.add_data_validation(check)


# --- reading an upload ------------------------------------------------------------------------


def check_xlsx(content: bytes) -> None:
    """An Office Open XML workbook without macros, judged by content, not by name."""
    bad = _("Upload an Excel workbook (.xlsx); the content says otherwise.")
    if not content:
        raise Invalid.field("file", _("The file is empty."))
    if len(content) > max_bytes():
        raise Invalid.field(
            "file", _("The file is larger than %(mb)s MB.") % {"mb": max_bytes() // (1024 * 1024)}
        )
    if not content.startswith(b"PK\x03\x04"):
        raise Invalid.field("file", bad)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            infos = zf.infolist()
            names = {i.filename.lower() for i in infos}
            if sum(i.file_size for i in infos) > MAX_UNPACKED:
                raise Invalid.field("file", bad)
            if "[content_types].xml" not in names:
                raise Invalid.field("file", bad)
            types = zf.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError, NotImplementedError):
        raise Invalid.field("file", bad) from None
    if "macroenabled" in types.lower() or any(n.endswith("vbaproject.bin") for n in names):
        raise Invalid.field("file", _("Workbooks with macros (.xlsm) are not accepted; save it as .xlsx."))
    if XLSX_MAIN not in types:
        raise Invalid.field("file", bad)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\x00", "").strip()


def _header_match(kind: str, cells: list) -> dict[int, str]:
    by_name = {}
    for col in columns(kind):
        for name in (col.code, col.zh, str(col.label)):
            by_name[name.strip().lower()] = col.code
        with translation.override("en"):
            by_name[str(col.label).strip().lower()] = col.code
    found = {}
    for i, cell in enumerate(cells):
        name = _text(cell).rstrip("*").strip().lower()
        if name in by_name and by_name[name] not in found.values():
            found[i] = by_name[name]
    return found


@dataclass
class Sheet:
    header_rows: int
    positions: dict[int, str]  # cell index -> column code
    rows: list[tuple[int, dict[str, object]]]  # (spreadsheet row number, raw cell values by code)


def read_rows(kind: str, content: bytes) -> Sheet:
    """The data rows of the first sheet. The header is the Chinese row, the code row, or both."""
    check_xlsx(content)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for broken parts
        raise Invalid.field("file", _("The workbook cannot be read.")) from None
    try:
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        first = list(next(it, ()) or ())
        second = list(next(it, ()) or ())
        head1, head2 = _header_match(kind, first), _header_match(kind, second)
        if len(head2) >= len(head1) and head2:
            positions, header_rows, pending = head2, 2, []
        else:
            positions, header_rows, pending = head1, 1, [second]
        missing = [c for c in columns(kind) if c.required and c.code not in positions.values()]
        if missing:
            raise Invalid.field(
                "file",
                _("The first sheet lacks these columns: %(cols)s. Start from the template.")
                % {"cols": ", ".join(f"{c.zh} ({c.code})" for c in missing)},
            )
        limit = max_rows()
        too_many = Invalid.field("file", _("At most %(n)s rows per file; split the ledger.") % {"n": limit})
        # openpyxl yields an empty row for every row number missing before the next one present,
        # so a tiny sheet declaring row 20,000,000 costs twenty million iterations. Rows are taken
        # one at a time and every one counts, empty or not: the work is bounded by the limit, not
        # by what the file claims.
        last = min(header_rows + limit, EXCEL_MAX_ROW)
        rows = []
        number = header_rows
        for values in itertools.chain(pending, it):
            number += 1
            if number > last:
                raise too_many
            values = list(values or ())
            record = {code: values[i] if i < len(values) else None for i, code in positions.items()}
            if all(_text(v) == "" for v in record.values()):
                continue
            rows.append((number, record))
    except Invalid:
        raise
    except Exception:
        raise Invalid.field("file", _("The workbook cannot be read.")) from None
    finally:
        wb.close()
    return Sheet(header_rows, positions, rows)


def result_workbook(content: bytes, results: list[dict], header_rows: int) -> bytes:
    """The uploaded workbook with a "result" column after the last one of the first sheet."""
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb.worksheets[0]
    col = ws.max_column + 1
    for r, text in enumerate(RESULT_HEADER[:header_rows] if header_rows > 1 else RESULT_HEADER[:1], start=1):
        xlsx.write(ws, r, col, text).font = HEAD_FONT
    ws.column_dimensions[get_column_letter(col)].width = 60
    for item in results:
        xlsx.write(ws, item["row"], col, item.get("message", ""))
    return xlsx.to_bytes(wb)
