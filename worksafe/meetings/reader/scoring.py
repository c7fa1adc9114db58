"""How a draft compares with what a careful reader extracted (the samples' gold files): the
figures issue-level targets are stated in. Used by the tests and by `python -m bench.meetings`."""

import re

STOP = frozenset(
    """a an the of and or to in on for with by at from as is are be that this all every its their our
    it we they should must shall will so make sure ensure do good job work safety production safe""".split()
)


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def content(text: str) -> set[str]:
    if re.search(r"[\u4e00-\u9fff]", text):
        chars = re.sub(r"[^\u4e00-\u9fff]", "", text)
        return {chars[i : i + 2] for i in range(len(chars) - 1)} - {
            "安全",
            "生产",
            "工作",
            "全面",
            "切实",
            "坚决",
        }
    words = re.findall(r"[a-z]+", text.lower())
    return {_stem(w) for w in words if w not in STOP}


def directive_recall(gold: list[str], found: list[str], threshold: float = 0.4) -> tuple[int, int]:
    """(matched, total): a gold directive is matched when one found directive covers at least
    `threshold` of its content words (Chinese: character bigrams)."""
    matched = 0
    for wanted in gold:
        words = content(wanted)
        if words and any(len(words & content(got)) / len(words) >= threshold for got in found):
            matched += 1
    return matched, len(gold)


def set_scores(gold: set[str], found: set[str]) -> tuple[float, float, float]:
    """Precision, recall and F1 of a set (two empty sets agree perfectly)."""
    if not gold and not found:
        return 1.0, 1.0, 1.0
    hits = len(gold & found)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score(draft, gold: dict) -> dict:
    """Per-document figures of a draft against one gold entry (optional answers count as right)."""
    optional = gold.get("optional", {})
    industries = set(draft.industries)
    allowed = set(gold["industries"]) | set(optional.get("industries", []))
    _, _, industry_f1 = set_scores(set(gold["industries"]), industries & allowed | (industries - allowed))
    # An optional sector is neither required nor wrong.
    extra = industries - allowed
    required = set(gold["industries"])
    hits = len(required & industries)
    precision = (
        (len(industries) - len(extra)) / len(industries) if industries else (1.0 if not required else 0.0)
    )
    recall = hits / len(required) if required else 1.0
    industry_f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    p_prec, p_rec, _ = set_scores(set(gold["people"]), set(draft.people))
    matched, total = directive_recall(gold["directives"], [d.text for d in draft.directives])
    held = draft.held_on.isoformat() if draft.held_on else None
    return {
        "chair": draft.chair == gold["chair"],
        "held_on": held == gold["held_on"] or (held is None and "held_on_note" in gold),
        "form": draft.form == gold["form"] or draft.form in optional.get("form", []),
        "industries_f1": industry_f1,
        "people_precision": p_prec,
        "people_recall": p_rec,
        "directives": (matched, total),
    }
