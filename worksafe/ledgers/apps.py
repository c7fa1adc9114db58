from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgersConfig(AppConfig):
    name = "worksafe.ledgers"
    label = "ledgers"
    verbose_name = _("Ledger imports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from worksafe.core import schedule

        schedule.register(
            "ledgers.recover_imports",
            every=timedelta(minutes=5),
            task="worksafe.ledgers.tasks.recover_imports_task",
            at_start=True,
        )
