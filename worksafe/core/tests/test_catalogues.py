"""zh-Hans stays complete: every module's catalogue translates every message, none fuzzy."""

import ast
import contextlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))


@dataclass
class Entry:
    msgid: str
    msgstr: list[str]  # one per plural form
    context: str | None = None
    plural: str | None = None
    flags: str = ""


def entries(path: Path):
    """Each live entry of a .po file; obsolete (#~) ones are skipped."""
    flags, keyword, parts = "", None, {}
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if "msgid" in parts:
                yield Entry(
                    msgid=parts["msgid"],
                    msgstr=[text for key, text in parts.items() if key.startswith("msgstr")],
                    context=parts.get("msgctxt"),
                    plural=parts.get("msgid_plural"),
                    flags=flags,
                )
            flags, keyword, parts = "", None, {}
        elif line.startswith("#,"):
            flags += line
        elif line.startswith('"') and keyword:
            parts[keyword] += ast.literal_eval(line)
        elif not line.startswith("#"):
            keyword, _space, literal = line.partition(" ")
            parts[keyword] = ast.literal_eval(literal)


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


def test_reader_sees_untranslated_fuzzy_context_and_plural_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        'msgid "Open"\nmsgstr "未销号"\n\n'
        'msgid "Closed"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Re"\n"jected"\nmsgstr "驳回"\n\n'
        'msgctxt "investigation track"\nmsgid "Open"\nmsgstr "进行中"\n\n'
        'msgid "%(n)s row"\nmsgid_plural "%(n)s rows"\nmsgstr[0] "%(n)s 行"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "已删除"\n',
        encoding="utf-8",
    )
    found = [(e.context, e.msgid, e.plural, e.msgstr, "fuzzy" in e.flags) for e in entries(po) if e.msgid]
    assert found == [
        (None, "Open", None, ["未销号"], False),
        (None, "Closed", None, [""], False),
        (None, "Rejected", None, ["驳回"], True),
        ("investigation track", "Open", None, ["进行中"], False),
        (None, "%(n)s row", "%(n)s rows", ["%(n)s 行"], False),
    ]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parents[3].name)
def test_catalogue_is_complete(path):
    live = [e for e in entries(path) if e.msgid]
    missing = [e.msgid for e in live if not all(e.msgstr)]
    fuzzy = [e.msgid for e in live if "fuzzy" in e.flags]
    assert not missing, f"untranslated in {path.relative_to(ROOT)}: {missing[:5]}"
    assert not fuzzy, f"fuzzy in {path.relative_to(ROOT)}: {fuzzy[:5]}"


def shown(entry: Entry) -> str:
    """What the running app shows for this entry in the active language."""
    if entry.plural is not None:
        if entry.context is not None:
            return translation.npgettext(entry.context, entry.msgid, entry.plural, 1)
        return translation.ngettext(entry.msgid, entry.plural, 1)
    if entry.context is not None:
        return translation.pgettext(entry.context, entry.msgid)
    return translation.gettext(entry.msgid)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parents[3].name)
def test_each_module_shows_its_own_wording(path):
    # Django merges every catalogue and the first installed app wins a shared message: a module
    # whose wording differs must use a context (pgettext), or its wording would never show.
    with translation.override("zh-hans"):
        wrong = [
            (e.context, e.msgid, e.msgstr[0], shown(e))
            for e in entries(path)
            if e.msgid and shown(e) != e.msgstr[0]
        ]
    assert not wrong, f"{path.relative_to(ROOT)} (context, msgid, wanted, shown): {wrong}"


def test_each_catalogue_holds_exactly_the_messages_of_its_module(tmp_path, settings):
    # makemessages over a copy of the modules (without their catalogues) lists what the code asks
    # to translate: each message must be in the module's catalogue, and nothing stale may linger.
    settings.LOCALE_PATHS = []
    for path in CATALOGUES:
        app = path.parents[3]
        shutil.copytree(
            app, tmp_path / app.name, ignore=shutil.ignore_patterns("locale", "tests", "migrations")
        )
        (tmp_path / app.name / "locale").mkdir()
    with contextlib.chdir(tmp_path):
        call_command("makemessages", locale=["zh_Hans"], verbosity=0, no_obsolete=True)

    def keys(po: Path) -> set:
        return {(e.context, e.msgid) for e in entries(po) if e.msgid} if po.exists() else set()

    differences = {}
    for path in CATALOGUES:
        wanted, committed = keys(tmp_path / path.relative_to(ROOT)), keys(path)
        if wanted != committed:
            differences[path.parents[3].name] = {
                "missing": sorted(wanted - committed, key=str),
                "stale": sorted(committed - wanted, key=str),
            }
    assert not differences, f"catalogues out of step with the code (context, msgid): {differences}"
