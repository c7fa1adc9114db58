"""Ship the national checklist templates (domain.md §3) from data/checklists/*.json."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "checklists"


def load(apps, schema_editor):
    Template = apps.get_model("inspections", "ChecklistTemplate")
    Item = apps.get_model("inspections", "ChecklistItem")
    for path in sorted(DATA.glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        if Template.objects.filter(code=spec["code"], version=1).exists():
            continue
        template = Template.objects.create(
            code=spec["code"], version=1, industry=spec["industry"], name=spec["name"], source=spec["source"]
        )
        fields = spec["item_fields"]
        Item.objects.bulk_create(
            Item(template=template, position=n, **{
                "text": row[fields.index("text")],
                "gloss": row[fields.index("gloss")],
                "is_major": bool(row[fields.index("major")]),
                "source": row[fields.index("source")],
            })
            for n, row in enumerate(spec["items"], start=1)
        )


def unload(apps, schema_editor):
    Template = apps.get_model("inspections", "ChecklistTemplate")
    Template.objects.filter(owner__isnull=True, code__startswith="national-").delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
