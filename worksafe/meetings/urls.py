from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list_view, name="list"),
    path("new/", views.meeting_read_view, name="create"),
    path("<int:pk>/", views.meeting_detail_view, name="detail"),
]
