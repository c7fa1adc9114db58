from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("", views.region_list_view, name="list"),
    path("new/", views.region_create_view, name="create"),
    path("<str:code>/", views.region_edit_view, name="edit"),
]
