"""The hazard tally becomes the hazards app's: the model moves over from the scale app (state
only: the table scale_hazardtally stays, with its rows), with the triggers that keep it exact on
every write to hazards_hazard, then a fill from the rows already there.

The triggers were first installed by the scale app's migration 0002, which this one replaces:
on a database that ran it, the same triggers are dropped and created again and the tally is
recounted, all in this migration's transaction."""

import django.db.models.deletion
from django.db import migrations, models

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION scale_hazard_tally() RETURNS trigger AS $$
BEGIN
    -- A transition moves one unit between two counters. Touch the two rows in key order so
    -- that opposite transitions running at once queue instead of deadlocking.
    IF TG_OP = 'UPDATE' AND (OLD.region_id, OLD.industry, OLD.status, OLD.level)
                          > (NEW.region_id, NEW.industry, NEW.status, NEW.level) THEN
        INSERT INTO scale_hazardtally (region_id, industry, status, level, n)
        VALUES (NEW.region_id, NEW.industry, NEW.status, NEW.level, 1)
        ON CONFLICT (region_id, industry, status, level) DO UPDATE SET n = scale_hazardtally.n + 1;
        UPDATE scale_hazardtally SET n = n - 1
        WHERE region_id = OLD.region_id AND industry = OLD.industry
          AND status = OLD.status AND level = OLD.level;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE scale_hazardtally SET n = n - 1
        WHERE region_id = OLD.region_id AND industry = OLD.industry
          AND status = OLD.status AND level = OLD.level;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO scale_hazardtally (region_id, industry, status, level, n)
        VALUES (NEW.region_id, NEW.industry, NEW.status, NEW.level, 1)
        ON CONFLICT (region_id, industry, status, level) DO UPDATE SET n = scale_hazardtally.n + 1;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""

PG_TRIGGERS = [
    """CREATE TRIGGER scale_hazard_tally_insdel AFTER INSERT OR DELETE ON hazards_hazard
       FOR EACH ROW EXECUTE FUNCTION scale_hazard_tally()""",
    """CREATE TRIGGER scale_hazard_tally_upd AFTER UPDATE OF region_id, industry, status, level
       ON hazards_hazard FOR EACH ROW
       WHEN (OLD.region_id IS DISTINCT FROM NEW.region_id OR OLD.industry IS DISTINCT FROM NEW.industry
             OR OLD.status IS DISTINCT FROM NEW.status OR OLD.level IS DISTINCT FROM NEW.level)
       EXECUTE FUNCTION scale_hazard_tally()""",
]

PG_DROP = [
    "DROP TRIGGER IF EXISTS scale_hazard_tally_insdel ON hazards_hazard",
    "DROP TRIGGER IF EXISTS scale_hazard_tally_upd ON hazards_hazard",
    "DROP FUNCTION IF EXISTS scale_hazard_tally()",
]

_INC = """INSERT INTO scale_hazardtally (region_id, industry, status, level, n)
          VALUES (NEW.region_id, NEW.industry, NEW.status, NEW.level, 1)
          ON CONFLICT (region_id, industry, status, level) DO UPDATE SET n = n + 1;"""
_DEC = """UPDATE scale_hazardtally SET n = n - 1
          WHERE region_id = OLD.region_id AND industry = OLD.industry
            AND status = OLD.status AND level = OLD.level;"""

# SQLite runs one writer at a time, so the order of the two statements does not matter there.
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER scale_hazard_tally_ins AFTER INSERT ON hazards_hazard BEGIN {_INC} END",
    f"CREATE TRIGGER scale_hazard_tally_del AFTER DELETE ON hazards_hazard BEGIN {_DEC} END",
    f"""CREATE TRIGGER scale_hazard_tally_upd AFTER UPDATE OF region_id, industry, status, level
        ON hazards_hazard
        WHEN OLD.region_id IS NOT NEW.region_id OR OLD.industry IS NOT NEW.industry
             OR OLD.status IS NOT NEW.status OR OLD.level IS NOT NEW.level
        BEGIN {_DEC} {_INC} END""",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS scale_hazard_tally_ins",
    "DROP TRIGGER IF EXISTS scale_hazard_tally_del",
    "DROP TRIGGER IF EXISTS scale_hazard_tally_upd",
]

REFILL = [
    "DELETE FROM scale_hazardtally",
    """INSERT INTO scale_hazardtally (region_id, industry, status, level, n)
       SELECT region_id, industry, status, level, COUNT(*) FROM hazards_hazard
       GROUP BY region_id, industry, status, level""",
]


def _run(schema_editor, statements):
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def uninstall(apps, schema_editor):
    _run(schema_editor, PG_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP)


def install(apps, schema_editor):
    uninstall(apps, schema_editor)  # those of scale 0002, where it ran
    if schema_editor.connection.vendor == "postgresql":
        _run(schema_editor, [PG_FUNCTION, *PG_TRIGGERS, *REFILL])
    else:
        _run(schema_editor, [*SQLITE_TRIGGERS, *REFILL])


TALLY = migrations.CreateModel(
    name="HazardTally",
    fields=[
        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
        ("industry", models.CharField(max_length=32, verbose_name="industry")),
        ("status", models.CharField(max_length=20, verbose_name="status")),
        ("level", models.CharField(max_length=10, verbose_name="level")),
        ("n", models.BigIntegerField(default=0, verbose_name="count")),
        (
            "region",
            models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                to="regions.region",
                verbose_name="region",
            ),
        ),
    ],
    options={
        "verbose_name": "hazard tally",
        "verbose_name_plural": "hazard tallies",
        "db_table": "scale_hazardtally",
        "constraints": [
            models.UniqueConstraint(fields=("region", "industry", "status", "level"), name="scale_tally_key"),
            models.CheckConstraint(condition=models.Q(("n__gte", 0)), name="scale_tally_nonneg"),
        ],
    },
)


class Migration(migrations.Migration):
    # scale 0001 created the table (on a new database it runs first).
    dependencies = [("hazards", "0004_enterprise_counts_index"), ("scale", "0001_initial")]
    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[TALLY]),
        migrations.RunPython(install, uninstall),
    ]
