"""Maintained aggregates of the hazard register.

Counting two million hazards for every dashboard costs a scan; these counters cost a few
hundred rows at most, however large the register grows. Database triggers keep them exact in
the same transaction as every hazard write, whatever path the write takes (services, admin,
bulk loads, tests), and the row lock on a counter serialises concurrent writers.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class HazardTally(models.Model):
    """How many hazards exist per (region, industry, status, level)."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.DO_NOTHING, db_constraint=False
    )
    industry = models.CharField(_("industry"), max_length=32)
    status = models.CharField(_("status"), max_length=20)
    level = models.CharField(_("level"), max_length=10)
    n = models.BigIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("hazard tally")
        verbose_name_plural = _("hazard tallies")
        constraints = [
            models.UniqueConstraint(fields=["region", "industry", "status", "level"], name="scale_tally_key"),
            models.CheckConstraint(condition=Q(n__gte=0), name="scale_tally_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.industry}/{self.status}/{self.level}: {self.n}"
