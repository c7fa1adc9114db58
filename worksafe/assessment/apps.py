from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "worksafe.assessment"
    label = "assessment"
