from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "worksafe.ops"
    label = "ops"
    verbose_name = _("Operations and security")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the login audit receivers)
