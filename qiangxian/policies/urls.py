from django.urls import path

from .views import grants, library, matching, tools

app_name = "policies"

urlpatterns = [
    path("", library.overview, name="overview"),
    path("list/", library.policy_list, name="list"),
    path("new/", library.policy_edit, name="create"),
    path("<int:pk>/", library.policy_detail, name="detail"),
    path("<int:pk>/edit/", library.policy_edit, name="edit"),
    path("<int:pk>/publish/", library.policy_publish, name="publish"),
    path("<int:policy_pk>/clauses/new/", library.clause_edit, name="clause_create"),
    path("<int:policy_pk>/clauses/<int:pk>/edit/", library.clause_edit, name="clause_edit"),
    path("clauses/<int:pk>/", matching.clause_detail, name="clause"),
    path("clauses/<int:clause_pk>/apply/", grants.quick_apply, name="apply"),
    path("clauses/<int:clause_pk>/review/", grants.batch_review, name="batch_review"),
    path("runs/", matching.run_list, name="runs"),
    path("runs/start/", matching.run_start, name="run_start"),
    path("runs/<int:pk>/", matching.run_detail, name="run"),
    path("runs/<int:pk>/notify/", matching.run_notify, name="run_notify"),
    path("runs/<int:pk>/notices.xlsx", matching.notices_export, name="notices_export"),
    path("exposure/", matching.exposure, name="exposure"),
    path("enterprise/", matching.enterprise_lookup, name="enterprise_lookup"),
    path("enterprise/<int:pk>/", matching.enterprise_page, name="enterprise"),
    path("mine/", matching.mine, name="mine"),
    path("applications/", grants.application_list, name="applications"),
    path("applications/<int:pk>/", grants.application_detail, name="application"),
    path("evidence/<int:pk>/", grants.evidence_download, name="evidence"),
    path("figures/", tools.figures, name="figures"),
    path("draft/", tools.draft, name="draft"),
    path("sandbox/", tools.sandbox_page, name="sandbox"),
]
