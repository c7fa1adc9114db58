import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "regions.csv"


def level_of(code):
    if len(code) == 9:
        return "township"
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "prefecture"
    return "county"


def load(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    with DATA.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    # Parents come first in the file; update_or_create keeps a re-run harmless.
    for row in rows:
        Region.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "level": level_of(row["code"]), "parent_id": row["parent"] or None,
                      "edition": row["edition"]},
        )


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
