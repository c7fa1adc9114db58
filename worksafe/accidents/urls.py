from django.urls import path

from . import views

app_name = "accidents"
urlpatterns = [
    path("", views.accident_list_view, name="list"),
    path("new/", views.accident_create_view, name="create"),
    path("<int:pk>/", views.accident_detail_view, name="detail"),
    path("<int:pk>/casualties/", views.casualties_view, name="casualties"),
    path("<int:pk>/reports/<int:duty_pk>/made/", views.report_made_view, name="report_made"),
    path("<int:pk>/reports/<int:duty_pk>/flag/", views.report_flag_view, name="report_flag"),
    path("<int:pk>/investigation/", views.investigation_view, name="investigation"),
    path("<int:pk>/investigation/extend/", views.extend_view, name="extend"),
    path("<int:pk>/investigation/track/", views.track_view, name="track"),
    path("<int:pk>/investigation/conclude/", views.conclude_view, name="conclude"),
    path("<int:pk>/decisions/", views.decision_view, name="decision"),
]
