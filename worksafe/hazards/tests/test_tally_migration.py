"""The tally moved from the scale app into hazards (migration 0005) without touching its table:
a database at the old state, holding counts, comes through with the same counts, and its
triggers go on counting each write once."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from worksafe.testing import tally_matches_register

BEFORE_MOVE = [("hazards", "0004_enterprise_counts_index"), ("scale", "0001_initial")]
MOVE = importlib.import_module("worksafe.hazards.migrations.0005_hazardtally")


def tally_rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT region_id, industry, status, level, n FROM scale_hazardtally WHERE n > 0 ORDER BY 1, 2, 3, 4"
        )
        return cursor.fetchall()


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_a_database_holding_tally_rows_keeps_its_counts_through_the_move(world):
    world.make_hazard()
    world.make_hazard(enterprise=world.enterprise_b, level="major")
    migrate(BEFORE_MOVE)
    # The old state as it was: the scale app's 0002 had installed these very triggers.
    with connection.schema_editor() as editor:
        MOVE.install(None, editor)
    recorder = MigrationRecorder(connection)
    recorder.record_applied("scale", "0002_tally_triggers")
    try:
        world.make_hazard(enterprise=world.enterprise_c, level="major")  # counted by the old triggers
        before = tally_rows()
        assert sum(row[-1] for row in before) == 3

        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    finally:
        recorder.record_unapplied("scale", "0002_tally_triggers")

    assert tally_rows() == before
    world.make_hazard()
    assert sum(row[-1] for row in tally_rows()) == 4  # one trigger per write, not two
    assert tally_matches_register()
