"""The hazard tally (models.HazardTally) rebuilt from the register: after a bulk load that
switched the triggers off, one GROUP BY is cheaper than a trigger per row."""

from django.db import connection

from .models import Hazard, HazardTally

TALLIED = ("region_id", "industry", "status", "level")


def refill() -> None:
    tally, hazards, columns = HazardTally._meta.db_table, Hazard._meta.db_table, ", ".join(TALLIED)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {tally}")  # noqa: S608  (table names from the models)
        cursor.execute(
            f"INSERT INTO {tally} ({columns}, n) "  # noqa: S608
            f"SELECT {columns}, COUNT(*) FROM {hazards} GROUP BY {columns}"
        )
