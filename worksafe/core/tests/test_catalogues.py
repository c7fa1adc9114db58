"""zh-Hans stays complete: every module's catalogue translates every message, none fuzzy."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))


def entries(path: Path):
    """(flags, msgid, msgstr) of each live entry; obsolete (#~) ones are skipped."""
    flags, field, parts = "", None, {"msgid": "", "msgstr": ""}
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if field:
                yield flags, parts["msgid"], parts["msgstr"]
            flags, field, parts = "", None, {"msgid": "", "msgstr": ""}
        elif line.startswith("#,"):
            flags += line
        elif line.startswith(("msgid ", "msgstr ")):
            field, _space, literal = line.partition(" ")
            parts[field] = ast.literal_eval(literal)
        elif line.startswith('"') and field in parts:
            parts[field] += ast.literal_eval(line)
        elif line.startswith(("msgctxt", "msgid_plural", "msgstr[")):
            field = None if line.startswith("msgctxt") else "msgstr"
            if line.startswith("msgstr["):
                parts["msgstr"] += ast.literal_eval(line.split(" ", 1)[1])


def uses_translation(app: Path) -> bool:
    sources = [*app.rglob("*.py"), *app.rglob("*.html")]
    return any(
        "gettext" in text or "{% translate" in text or "{% blocktranslate" in text
        for text in (f.read_text(encoding="utf-8") for f in sources if "tests" not in f.parts)
    )


def test_every_module_with_messages_has_a_catalogue():
    translated = {p.parent.name for p in ROOT.glob("*/apps.py") if uses_translation(p.parent)}
    with_catalogue = {p.parents[3].name for p in CATALOGUES}
    assert translated - with_catalogue == set()


def test_reader_sees_untranslated_and_fuzzy_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        'msgid "Open"\nmsgstr "未销号"\n\n'
        'msgid "Closed"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Re"\n"jected"\nmsgstr "驳回"\n',
        encoding="utf-8",
    )
    found = [(("fuzzy" in flags), msgid, msgstr) for flags, msgid, msgstr in entries(po) if msgid]
    assert found == [(False, "Open", "未销号"), (False, "Closed", ""), (True, "Rejected", "驳回")]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parents[3].name)
def test_catalogue_is_complete(path):
    missing = [msgid for flags, msgid, msgstr in entries(path) if msgid and not msgstr]
    fuzzy = [msgid for flags, msgid, _msgstr in entries(path) if msgid and "fuzzy" in flags]
    assert not missing, f"untranslated in {path.relative_to(ROOT)}: {missing[:5]}"
    assert not fuzzy, f"fuzzy in {path.relative_to(ROOT)}: {fuzzy[:5]}"
