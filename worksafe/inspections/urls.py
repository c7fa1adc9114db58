from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.inspection_list_view, name="list"),
    path("new/", views.inspection_new, name="new"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/start/", views.inspection_start, name="start"),
    path("<int:pk>/finish/", views.inspection_finish, name="finish"),
    path("<int:pk>/cancel/", views.inspection_cancel, name="cancel"),
    path("<int:pk>/items/<int:item>/", views.inspection_answer, name="answer"),
    path("<int:pk>/photos/", views.inspection_photo, name="photo"),
    path("<int:pk>/photos/<int:photo_id>/", views.photo_file, name="photo_file"),
    path("<int:pk>/findings/", views.inspection_finding, name="finding"),
    path("opinions/", views.opinion_list_view, name="opinions"),
    path("opinions/<int:pk>/", views.opinion_act, name="opinion_act"),
    path("checklists/", views.checklist_list_view, name="checklists"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist"),
    path("checklists/<int:pk>/copy/", views.checklist_copy, name="checklist_copy"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("enforcement/", views.enforcement_list_view, name="enforcement_list"),
    path("enforcement/new/", views.enforcement_new, name="enforcement_new"),
    path("enforcement/<int:pk>/complete/", views.enforcement_complete, name="enforcement_complete"),
    path("activity/", views.activity_view, name="activity"),
]
