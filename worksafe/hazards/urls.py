from django.urls import path

from . import views

app_name = "hazards"
urlpatterns = [
    path("", views.hazard_list_view, name="list"),
    path("export.xlsx", views.hazard_export, name="export"),
    path("bulk/", views.hazard_bulk, name="bulk"),
    path("new/", views.hazard_create, name="create"),
    path("<int:pk>/", views.hazard_detail, name="detail"),
    path("<int:pk>/transition/", views.hazard_transition, name="transition"),
    path("<int:pk>/plan/", views.hazard_plan, name="plan"),
    path("<int:pk>/evidence/", views.hazard_evidence, name="evidence"),
    path("<int:pk>/evidence/<int:eid>/", views.evidence_file, name="evidence_file"),
    path("<int:pk>/evidence/<int:eid>/view/", views.evidence_view, name="evidence_view"),
]
