from django.urls import path

from . import views

app_name = "service"

urlpatterns = [
    path("", views.demand_list, name="demands"),
    path("demands/new/", views.demand_create, name="demand_create"),
    path("demands/<int:pk>/", views.demand_detail, name="demand_detail"),
    path("my-work/", views.my_work, name="my_work"),
    path("rules/", views.rules, name="rules"),
    path("league/", views.league, name="league"),
    path("import/", views.hotline_import, name="import"),
    path("recruitment/", views.recruitment, name="recruitment"),
    path("similar/", views.similar, name="groups"),
    path("finance/", views.finance_list, name="finance"),
    path("import/template/", views.hotline_template, name="import_template"),
    path("visits/", views.visit_list, name="visits"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/warn/", views.visit_warning, name="visit_warning"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_create, name="plan_create"),
]
