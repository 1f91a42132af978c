from django.urls import path

from . import views
from .approvals import views as approval_views

app_name = "projects"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("list/", views.project_list, name="list"),
    path("signed-not-started/", views.signed_not_started, name="signed_not_started"),
    path("progress/", views.progress_list, name="progress"),
    path("new/", views.project_edit, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("problems/", views.problem_list, name="problems"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("leads/overdue/", views.leads_overdue, name="leads_overdue"),
    path("import/", views.import_page, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.batch_detail, name="batch"),
    path("import/<int:pk>/apply/", views.batch_apply, name="batch_apply"),
    path("import/<int:pk>/rollback/", views.batch_rollback, name="batch_rollback"),
    path("approvals/", approval_views.item_list, name="approvals"),
    path("approvals/units/", approval_views.unit_performance, name="approvals_units"),
    path("approvals/regional/", approval_views.regional, name="approvals_regional"),
    path("approvals/import/", approval_views.import_page, name="approvals_import"),
    path("settings/", views.settings_page, name="settings"),
    path("lights/recompute/", views.lights_recompute, name="lights_recompute"),
]
