"""The hazard tally is the hazards app's now (hazards 0005): dropped from this app's state
only, so the table and its rows stay. (Its 0002, the triggers, moved there too.)"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("scale", "0001_initial"), ("hazards", "0005_hazardtally")]
    operations = [migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel("HazardTally")])]
