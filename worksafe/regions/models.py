"""Administrative divisions keyed by GB/T 2260 codes (domain.md §7.2).

A region's subtree is every code that starts with its significant prefix, so "this region
and everything below it" is one range condition on an indexed code column.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township / street")


# A region code as every schema, form and model checks it.
REGION_CODE = r"^(\d{6}|\d{9})$"

code_validator = RegexValidator(
    REGION_CODE, _("A region code has 6 digits (GB/T 2260) or 9 for a township (GB/T 10114).")
)


def level_of(code: str) -> str:
    """§7.2: PP0000 province, PPCC00 prefecture, PPCCXX county, 9 digits township."""
    if len(code) == 9:
        return Level.TOWNSHIP
    if code[2:] == "0000":
        return Level.PROVINCE
    if code[4:] == "00":
        return Level.PREFECTURE
    return Level.COUNTY


def parent_code(code: str) -> str | None:
    """The code of the region directly above (§7.2): a township's county, a county's prefecture
    (a PP90xx county-level unit's province), a prefecture's province; None for a province."""
    level = level_of(code)
    if level == Level.TOWNSHIP:
        return code[:6]
    if level == Level.PROVINCE:
        return None
    if level == Level.PREFECTURE or code[2:4] == "90":
        return code[:2] + "0000"
    return code[:4] + "00"


def ancestor_codes(code: str) -> list[str]:
    """The region itself, then every region above it, nearest first."""
    chain = [code]
    while (parent := parent_code(chain[-1])) is not None:
        chain.append(parent)
    return chain


def subtree_prefix(code: str) -> str:
    return {Level.PROVINCE: code[:2], Level.PREFECTURE: code[:4]}.get(level_of(code), code)


def subtree_range(code: str) -> tuple[str, str]:
    """Half-open [low, high) range of codes in the subtree: a plain index range on any database
    (LIKE 'prefix%' is not indexable on SQLite)."""
    prefix = subtree_prefix(code)
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


def in_subtree(field: str, code: str) -> Q:
    low, high = subtree_range(code)
    return Q(**{f"{field}__gte": low, f"{field}__lt": high})


class Region(models.Model):
    code = models.CharField(_("code"), max_length=9, primary_key=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Codes change between editions (210282 普兰店市 became 210214 普兰店区): keep the edition.
    edition = models.CharField(_("code edition"), max_length=10, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        self.level = level_of(self.code)
        super().save(*args, **kwargs)

    def clean(self):
        if not self.code or not code_validator.regex.match(self.code):
            return
        self.level = level_of(self.code)
        expected = parent_code(self.code)
        if self.parent_id:
            if self.parent_id != expected:
                # A region hangs directly under the level above it, never skips one (§7.2).
                raise ValidationError(
                    {
                        "parent": _("The parent of %(code)s is %(parent)s.")
                        % {"code": self.code, "parent": expected}
                    }
                    if expected
                    else {"parent": _("A province has no parent.")}
                )
        elif expected is not None:
            raise ValidationError({"parent": _("Only a province has no parent.")})

    def contains(self, code: str) -> bool:
        low, high = subtree_range(self.code)
        return low <= code < high
