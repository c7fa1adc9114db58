from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgersConfig(AppConfig):
    name = "worksafe.ledgers"
    label = "ledgers"
    verbose_name = _("Ledger imports")
    default_auto_field = "django.db.models.BigAutoField"
