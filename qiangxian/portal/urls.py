from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("record/", views.record, name="record"),
    path("figures/", views.figures, name="figures"),
    path("tiers/", views.tiers, name="tiers"),
    path("policies/", views.policies, name="policies"),
    path("demands/", views.demands, name="demands"),
    path("visits/", views.visits, name="visits"),
    path("projects/", views.projects, name="projects"),
    path("land/", views.land, name="land"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/<int:pk>/remove/", views.account_remove, name="account_remove"),
    path("data/", views.data_list, name="data_list"),
    path("data/new/", views.data_new, name="data_new"),
    path("data/<int:pk>/", views.data_detail, name="data_detail"),
    path("data/<int:pk>/evidence/", views.data_evidence, name="data_evidence"),
    path("register/", views.register, name="register"),
    path("registrations/", views.registrations, name="registrations"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration"),
    path("registrations/accounts/new/", views.account_new, name="account_new"),
    path("corrections/<int:pk>/", views.correction_detail, name="correction"),
]
