"""The zh-Hans catalogues of accidents and assessment are complete (no empty or fuzzy entries)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("app", ["accidents", "assessment"])
def test_zh_hans_catalogue_complete(app):
    text = (ROOT / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    assert len(entries) > 50
    assert "#, fuzzy" not in text
    empty = [e for e in entries if re.search(r'^msgstr(\[0\])? ""$', e, re.MULTILINE)]
    assert empty == []
