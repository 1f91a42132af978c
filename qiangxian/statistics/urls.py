from django.urls import path

from . import profile_views, views

app_name = "statistics"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("indicators/", views.catalogue, name="catalogue"),
    path("breakdown/", views.breakdown, name="breakdown"),
    path("drilldown/", views.drilldown, name="drilldown"),
    path("enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("imports/", views.batch_list, name="batches"),
    path("imports/new/", views.batch_upload, name="upload"),
    path("imports/<int:pk>/", views.batch_detail, name="batch"),
    path("imports/<int:pk>/commit/", views.batch_commit, name="batch_commit"),
    path("imports/<int:pk>/rollback/", views.batch_rollback, name="batch_rollback"),
    path("imports/<int:pk>/retry/", views.batch_retry, name="batch_retry"),
    path("imports/<int:pk>/discard/", views.batch_discard, name="batch_discard"),
    path("profiles/", views.profile_list, name="profiles"),
    path("profiles/new/", profile_views.profile_edit, name="profile_create"),
    path("profiles/<int:pk>/edit/", profile_views.profile_edit, name="profile_edit"),
    path("profiles/<int:pk>/template/", views.profile_template, name="profile_template"),
    path("targets/", views.target_list, name="targets"),
    path("warnings/", views.warnings, name="warnings"),
    path("official/", views.official_list, name="official"),
    path("settings/", views.settings_edit, name="settings"),
]
