from django.urls import path

from . import views, views_assessment

app_name = "tiers"

urlpatterns = [
    path("", views.pool, name="pool"),
    path("judgements/bulk/", views.bulk_judgement, name="bulk_judgement"),
    path("enterprises/<int:pk>/", views.enterprise_panel, name="enterprise_panel"),
    path("enterprises/<int:pk>/plan/<str:tier>/", views.plan_from_gaps, name="plan_from_gaps"),
    path("assessment/import/", views_assessment.assessment_import, name="assessment_import"),
    path("assessment/template/", views_assessment.assessment_template, name="assessment_template"),
    path("enterprises/<int:pk>/assessment/", views_assessment.assessment, name="assessment"),
    path(
        "enterprises/<int:pk>/assessment/<str:kind>/<int:record_id>/delete/",
        views_assessment.assessment_delete,
        name="assessment_delete",
    ),
]
