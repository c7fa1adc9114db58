from django.urls import path

from . import views

app_name = "ledgers"
urlpatterns = [
    path("", views.upload_view, name="upload"),
    path("templates/<str:kind>.xlsx", views.template_view, name="template"),
    path("jobs/<int:pk>/", views.job_view, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress_view, name="progress"),
    path("jobs/<int:pk>/result.xlsx", views.job_result_view, name="result"),
    path("jobs/<int:pk>/import/", views.job_apply_view, name="apply"),
]
