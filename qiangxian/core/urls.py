from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "core"

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url="/static/qx/favicon.svg", permanent=True)),
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("system/units/", views.orgunit_list, name="orgunit_list"),
    path("system/units/new/", views.orgunit_edit, name="orgunit_create"),
    path("system/units/<int:pk>/", views.orgunit_detail, name="orgunit_detail"),
    path("system/units/<int:pk>/edit/", views.orgunit_edit, name="orgunit_edit"),
    path("system/users/", views.user_list, name="user_list"),
    path("system/users/new/", views.user_edit, name="user_create"),
    path("system/users/<int:pk>/", views.user_detail, name="user_detail"),
    path("system/users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("system/users/<int:pk>/password/", views.user_password, name="user_password"),
    path("system/unlock/", views.user_unlock, name="user_unlock"),
    path("system/logins/", views.login_logs, name="login_logs"),
    path("me/tokens/", views.token_list, name="token_list"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("me/roles/", views.roles_overview, name="roles"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
]
