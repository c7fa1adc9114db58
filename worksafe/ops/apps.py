from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "worksafe.ops"
    label = "ops"
    verbose_name = _("Operations and security")

    def ready(self) -> None:
        from django.apps import apps

        from . import signals  # noqa: F401  (connects the login audit receivers)

        # The packages name their admin sections in plain English strings, never translated.
        for label, name in (
            ("axes", _("Sign-in protection")),
            ("django_tasks_database", _("Background tasks")),
        ):
            apps.get_app_config(label).verbose_name = name
