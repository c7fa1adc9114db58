"""Characters no text we keep may hold, found anywhere in parsed input."""

import re

# NUL: PostgreSQL refuses it in any text value. A lone UTF-16 surrogate (U+D800–U+DFFF) cannot be
# encoded as UTF-8 at all, so the database driver, a template or a log line fails on it. JSON
# escapes ("\ud800") and a form posted with a charset such as UTF-7 produce them.
NUL_OR_SURROGATE = re.compile("[\x00\ud800-\udfff]")
SURROGATE = re.compile("[\ud800-\udfff]")


def holds(value, pattern: re.Pattern = NUL_OR_SURROGATE) -> bool:
    """Whether a string, or any key or item of a parsed JSON value, matches `pattern`."""
    if isinstance(value, str):
        return pattern.search(value) is not None
    if isinstance(value, dict):
        return any(holds(k, pattern) or holds(v, pattern) for k, v in value.items())
    if isinstance(value, list):
        return any(holds(v, pattern) for v in value)
    return False
