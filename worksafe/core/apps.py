from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "worksafe.core"
    label = "core"
