"""Dates in meeting reports: the dateline, and the day the meeting was held, which reports often
give relative to the dateline (今天, 1日下午, "June 6th", "the same day"); domain.md 9."""

import re
from datetime import date, timedelta

MONTHS = {
    m: i
    for i, m in enumerate(
        "january february march april may june july august september october november december".split(), 1
    )
}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9

_EN_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_EN_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_EN_YEAR = r"(?:,?\s*(?P<year>(?:19|20)\d{2}))?"

FULL_NUMERIC = re.compile(r"(?P<year>(?:19|20)\d{2})[-/.年](?P<month>\d{1,2})[-/.月](?P<day>\d{1,2})日?")
ZH_MONTH_DAY = re.compile(r"(?:(?P<year>(?:19|20)\d{2})年)?(?P<month>\d{1,2})月(?P<day>\d{1,2})[日号]")
ZH_DAY = re.compile(r"(?<![\d月年])(?P<day>\d{1,2})日(?:上午|下午|晚上|晚|早上|上|下)?")
ZH_RELATIVE = {
    "今天": 0,
    "今日": 0,
    "当天": None,
    "同日": None,
    "当日": None,
    "昨天": -1,
    "昨日": -1,
    "前天": -2,
}
EN_DATES = (
    re.compile(_EN_MONTH + r"\s+" + _EN_DAY + _EN_YEAR + r"\b", re.I),
    re.compile(r"\b" + _EN_DAY + r"\s+(?:of\s+)?" + _EN_MONTH + _EN_YEAR + r"\b", re.I),
)
EN_RELATIVE = {
    "today": 0,
    "yesterday": -1,
    "the same day": None,
    "that day": None,
    "that afternoon": None,
    "that morning": None,
    "the day before": -1,
}


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def dateline(text: str) -> date | None:
    """A full date near the top (the publication line of most reports)."""
    head = text[:400]
    match = FULL_NUMERIC.search(head)
    if match:
        return _safe(int(match["year"]), int(match["month"]), int(match["day"]))
    for pattern in EN_DATES:
        match = pattern.search(head)
        if match and match["year"]:
            return _safe(int(match["year"]), _month_key(match["month"]), int(match["day"]))
    return None


def _month_key(word: str) -> int:
    word = word.lower().rstrip(".")
    return MONTHS.get(word) or MONTHS[word[:3]]


def _resolve(year: int | None, month: int, day: int, base: date | None) -> date | None:
    if year:
        return _safe(year, month, day)
    if base is None:
        return None
    found = _safe(base.year, month, day)
    # A report is written after its meeting: a day later than the dateline was last year.
    if found and found > base + timedelta(days=1):
        found = _safe(base.year - 1, month, day)
    return found


def dates_in(sentence: str, base: date | None, current: date | None) -> list[date | None]:
    """Every date a sentence names, in order; `current` is the day the narrative is at (for "the
    same day") and `base` the dateline relative words count from. None stands for a date named
    but not resolvable (no year known)."""
    found: list[tuple[int, date | None]] = []
    taken: list[range] = []

    def add(start: int, end: int, value: date | None) -> None:
        if any(start in r or end - 1 in r for r in taken):
            return
        taken.append(range(start, end))
        found.append((start, value))

    for match in FULL_NUMERIC.finditer(sentence):
        add(match.start(), match.end(), _safe(int(match["year"]), int(match["month"]), int(match["day"])))
    for match in ZH_MONTH_DAY.finditer(sentence):
        year = int(match["year"]) if match["year"] else None
        add(match.start(), match.end(), _resolve(year, int(match["month"]), int(match["day"]), base))
    for match in ZH_DAY.finditer(sentence):
        anchor = current or base
        if anchor is None:
            add(match.start(), match.end(), None)
            continue
        day = int(match["day"])
        value = _safe(anchor.year, anchor.month, day)
        if value and value > anchor + timedelta(days=1):
            previous = anchor.replace(day=1) - timedelta(days=1)
            value = _safe(previous.year, previous.month, day)
        add(match.start(), match.end(), value)
    for pattern in EN_DATES:
        for match in pattern.finditer(sentence):
            year = int(match["year"]) if match["year"] else None
            add(
                match.start(),
                match.end(),
                _resolve(year, _month_key(match["month"]), int(match["day"]), base),
            )
    lowered = sentence.lower()
    for words, offset in list(ZH_RELATIVE.items()) + list(EN_RELATIVE.items()):
        start = (sentence if words[0] > "~" else lowered).find(words)
        if start < 0:
            continue
        if offset is None:
            add(start, start + len(words), current)
        else:
            add(start, start + len(words), base + timedelta(days=offset) if base else None)
    return [value for _, value in sorted(found, key=lambda item: item[0])]
