"""The fine each legal basis allows, as data (domain.md §5, §2.2, §2.3): the law, the version
of its text, the article and the range in yuan. A law amended later gets new rows beside the
old ones, because a case is judged under the version in force when the violation happened.

Both bounds are lawful amounts: "处X以上Y以下的罚款" allows X and Y themselves (domain.md's
"以下 excludes X" is the accident-grade rule of Order 493, not a fine's range).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from worksafe.core.money import yuan

WSL_2021 = "《中华人民共和国安全生产法》（2021年修正）"
WSL_2014 = "《中华人民共和国安全生产法》（2014年修正）"
ORDER_16 = "《安全生产事故隐患排查治理暂行规定》（国家安全监管总局令第16号）"

WAN = Decimal(10_000)


@dataclass(frozen=True)
class FineRange:
    code: str
    citation: str  # the text recorded as the legal basis, as a document cites it
    label: str | Promise
    minimum: Decimal | None  # None: the law sets only an upper limit ("X以下")
    maximum: Decimal


FINE_RANGES = (
    # Work Safety Law 2021 (in force 2021-09-01), §2.3 and §5.
    FineRange(
        "wsl2021-101",
        WSL_2021 + "第一百零一条",
        _("Work Safety Law 2021, Art. 101: no risk or hidden-danger system"),
        None,
        10 * WAN,
    ),
    FineRange(
        "wsl2021-101-overdue",
        WSL_2021 + "第一百零一条（逾期未改正）",
        _("Work Safety Law 2021, Art. 101: not corrected in time"),
        10 * WAN,
        20 * WAN,
    ),
    FineRange(
        "wsl2021-102",
        WSL_2021 + "第一百零二条",
        _("Work Safety Law 2021, Art. 102: hidden danger not eliminated"),
        None,
        5 * WAN,
    ),
    FineRange(
        "wsl2021-114-1",
        WSL_2021 + "第一百一十四条第一款第（一）项",
        _("Work Safety Law 2021, Art. 114(1): general accident"),
        30 * WAN,
        100 * WAN,
    ),
    FineRange(
        "wsl2021-114-2",
        WSL_2021 + "第一百一十四条第一款第（二）项",
        _("Work Safety Law 2021, Art. 114(2): larger accident"),
        100 * WAN,
        200 * WAN,
    ),
    FineRange(
        "wsl2021-114-3",
        WSL_2021 + "第一百一十四条第一款第（三）项",
        _("Work Safety Law 2021, Art. 114(3): serious accident"),
        200 * WAN,
        1000 * WAN,
    ),
    FineRange(
        "wsl2021-114-4",
        WSL_2021 + "第一百一十四条第一款第（四）项",
        _("Work Safety Law 2021, Art. 114(4): particularly serious accident"),
        1000 * WAN,
        2000 * WAN,
    ),
    # Grave circumstances: two to five times the amounts above, at most 100 million yuan.
    FineRange(
        "wsl2021-114-grave",
        WSL_2021 + "第一百一十四条第二款",
        _("Work Safety Law 2021, Art. 114 para. 2: particularly grave circumstances"),
        60 * WAN,
        10_000 * WAN,
    ),
    # Work Safety Law 2014 text, for violations before 2021-09-01 (§5 "for comparison").
    FineRange(
        "wsl2014-109-1",
        WSL_2014 + "第一百零九条第（一）项",
        _("Work Safety Law 2014, Art. 109(1): general accident"),
        20 * WAN,
        50 * WAN,
    ),
    FineRange(
        "wsl2014-109-2",
        WSL_2014 + "第一百零九条第（二）项",
        _("Work Safety Law 2014, Art. 109(2): larger accident"),
        50 * WAN,
        100 * WAN,
    ),
    FineRange(
        "wsl2014-109-3",
        WSL_2014 + "第一百零九条第（三）项",
        _("Work Safety Law 2014, Art. 109(3): serious accident"),
        100 * WAN,
        500 * WAN,
    ),
    FineRange(
        "wsl2014-109-4",
        WSL_2014 + "第一百零九条第（四）项",
        _("Work Safety Law 2014, Art. 109(4): particularly serious accident"),
        500 * WAN,
        1000 * WAN,
    ),
    FineRange(
        "wsl2014-109-4-grave",
        WSL_2014 + "第一百零九条第（四）项（情节特别严重）",
        _("Work Safety Law 2014, Art. 109(4): particularly grave circumstances"),
        1000 * WAN,
        2000 * WAN,
    ),
    # SAWS Order No. 16 (in force 2008-02-01), §2.2.
    FineRange(
        "order16-26",
        ORDER_16 + "第二十六条",
        _("SAWS Order No. 16, Art. 26: hidden-danger duties neglected"),
        None,
        3 * WAN,
    ),
)

BY_CODE = {fine.code: fine for fine in FINE_RANGES}


def fine_range_text(fine: FineRange) -> str:
    if fine.minimum is None:
        return _("up to %(max)s") % {"max": yuan(fine.maximum)}
    return f"{yuan(fine.minimum)}–{yuan(fine.maximum)}"
