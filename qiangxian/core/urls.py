from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from . import views, views_security

app_name = "core"

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url="/static/qx/favicon.svg", permanent=True)),
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("search/suggest/", views.search_suggest, name="search_suggest"),
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
    path("system/users/<int:pk>/role/", views_security.role_request_create, name="role_request_create"),
    path("system/roles/", views_security.role_requests, name="role_requests"),
    path("system/roles/<int:pk>/decide/", views_security.role_request_decide, name="role_request_decide"),
    path("security/", views_security.security_settings, name="security_settings"),
    path("security/lockouts/", views_security.lockouts, name="login_logs"),
    path("security/unlock/", views_security.user_unlock, name="user_unlock"),
    path("security/tokens/", views_security.token_admin, name="token_admin"),
    path("security/tokens/revoke/", views_security.token_admin_revoke, name="token_admin_revoke"),
    path("audit/", views_security.audit_list, name="audit_list"),
    path("me/password/", views_security.password_change, name="password_change"),
    path("me/tokens/", views.token_list, name="token_list"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("me/roles/", views.roles_overview, name="roles"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
]
