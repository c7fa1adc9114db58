from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.accounts_home, name="home"),
    path("users/", views.user_list_view, name="user_list"),
    path("users/new/", views.user_create_view, name="user_create"),
    path("users/<int:pk>/", views.user_edit_view, name="user_edit"),
    path("users/<int:pk>/reset-password/", views.user_reset_view, name="user_reset"),
    path("organizations/", views.organization_list_view, name="organization_list"),
    path("organizations/new/", views.organization_create_view, name="organization_create"),
    path("organizations/<int:pk>/", views.organization_edit_view, name="organization_edit"),
    path("profile/", views.profile_view, name="profile"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
]
