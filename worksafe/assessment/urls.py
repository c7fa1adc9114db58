from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.period_list_view, name="list"),
    path("new/", views.period_create_view, name="create"),
    path("<int:pk>/", views.period_detail_view, name="detail"),
    path("<int:pk>/export.xlsx", views.period_export_view, name="export"),
    path("<int:pk>/subjects/", views.subject_add_view, name="subject_add"),
    path("<int:pk>/indicators/", views.indicator_add_view, name="indicator_add"),
    path("<int:pk>/indicators/<int:indicator_pk>/", views.indicator_update_view, name="indicator_update"),
    path("<int:pk>/manual/", views.manual_score_view, name="manual_score"),
    path("<int:pk>/compute/", views.compute_view, name="compute"),
    path("<int:pk>/transition/", views.transition_view, name="transition"),
]
