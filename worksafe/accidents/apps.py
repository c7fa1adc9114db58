from django.apps import AppConfig


class AccidentsConfig(AppConfig):
    name = "worksafe.accidents"
    label = "accidents"
