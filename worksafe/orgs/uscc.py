"""Unified social credit code (GB 32100-2015) and its embedded organization code (GB 11714),
domain.md §7.1."""

from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, ...
ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def normalize(raw: str) -> str:
    """Outer whitespace trimmed and upper-cased; inner whitespace is kept so it fails."""
    return (raw or "").strip().upper()


def check_char(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_check_char(first8: str) -> str:
    total = sum(ORG_ALPHABET.index(c) * w for c, w in zip(first8, ORG_WEIGHTS, strict=True))
    r = 11 - total % 11
    return {10: "X", 11: "0"}.get(r, str(r))


def problems(code: str) -> list[str]:
    """What is wrong with an already normalized code, in words a clerk can act on."""
    if len(code) != 18:
        return [_("A unified social credit code has 18 characters; this one has %(n)s.") % {"n": len(code)}]
    bad = sorted({c for c in code if c not in ALPHABET})
    if bad:
        return [
            _("Characters not allowed in a credit code: %(chars)s (I, O, S, V and Z are never used).")
            % {"chars": " ".join(repr(c) for c in bad)}
        ]
    if not code[2:8].isdigit():
        return [_("Characters 3 to 8 must be the region code of the registering authority (digits).")]
    found = []
    org = code[8:17]
    if any(c not in ORG_ALPHABET for c in org[:8]) or org[8] not in ORG_ALPHABET + "X":
        found.append(_("The embedded organization code (characters 9 to 17) is malformed."))
    elif org_check_char(org[:8]) != org[8]:
        found.append(
            _("The check character of the embedded organization code (character 17) should be %(c)s.")
            % {"c": org_check_char(org[:8])}
        )
    if check_char(code[:17]) != code[17]:
        found.append(_("The check character (character 18) should be %(c)s.") % {"c": check_char(code[:17])})
    return found


def make_code(prefix: str, org_base: str) -> str:
    """A valid code from registration prefix (8 chars) and organization base (8 chars): for demo
    data and tests."""
    org = org_base + org_check_char(org_base)
    first17 = prefix + org
    return first17 + check_char(first17)
