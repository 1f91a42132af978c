from django.urls import path

from . import views

app_name = "rules"

urlpatterns = [
    path("", views.index, name="index"),
    path("workbench/", views.workbench, name="workbench"),
    path("workbench/check/", views.check, name="check"),
    path("workbench/enterprises/", views.enterprise_search, name="enterprise_search"),
    path("workbench/try/", views.try_one, name="try"),
    path("workbench/match/", views.match, name="match"),
    path("workbench/match/export/", views.match_export, name="match_export"),
    path("workbench/save/", views.save, name="save"),
    path("saved/", views.rule_list, name="list"),
    path("saved/<int:pk>/", views.rule_detail, name="detail"),
    path("saved/<int:pk>/matches/", views.rule_matches, name="matches"),
    path("saved/<int:pk>/delete/", views.rule_delete, name="delete"),
    path("reference/", views.reference_page, name="reference"),
]
