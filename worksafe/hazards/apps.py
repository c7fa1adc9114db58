from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "worksafe.hazards"
    label = "hazards"
    verbose_name = _("Hidden dangers")

    def ready(self):
        from worksafe.core import schedule

        # The ladder climbs one step a day at most (design.md "Hazard lifecycle"); the sweep
        # runs once each local day, just after midnight or when the first worker starts.
        schedule.register(
            "hazards.escalation_sweep",
            every=timedelta(days=1),
            task="worksafe.hazards.tasks.escalation_sweep_task",
        )
