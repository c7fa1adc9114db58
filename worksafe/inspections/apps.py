from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "worksafe.inspections"
    label = "inspections"
