from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "worksafe.web"
    label = "web"
