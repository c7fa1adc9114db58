from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("hazards/", views.hazard_list_view, name="hazard_list"),
    path("hazards/export.xlsx", views.hazard_export, name="hazard_export"),
    path("hazards/bulk/", views.hazard_bulk, name="hazard_bulk"),
    path("hazards/new/", views.hazard_create, name="hazard_create"),
    path("hazards/<int:pk>/", views.hazard_detail, name="hazard_detail"),
    path("hazards/<int:pk>/transition/", views.hazard_transition, name="hazard_transition"),
    path("hazards/<int:pk>/plan/", views.hazard_plan, name="hazard_plan"),
    path("hazards/<int:pk>/evidence/", views.hazard_evidence, name="hazard_evidence"),
    path("hazards/<int:pk>/evidence/<int:eid>/", views.evidence_file, name="evidence_file"),
    path("hazards/<int:pk>/evidence/<int:eid>/view/", views.evidence_view, name="evidence_view"),
    path("enterprises/", views.enterprise_list_view, name="enterprise_list"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("pickers/regions/", views.region_picker, name="region_picker"),
    path("pickers/enterprises/", views.enterprise_picker, name="enterprise_picker"),
]
