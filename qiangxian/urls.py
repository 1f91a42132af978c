"""URL configuration: pages per app, the API under /api/, health at /healthz."""

from django.contrib import admin
from django.urls import include, path

from qiangxian.api import api
from qiangxian.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/", api.urls),
    path("django-admin/", admin.site.urls),
    path("enterprises/", include("qiangxian.enterprises.urls")),
    path("statistics/", include("qiangxian.statistics.urls")),
    path("dashboard/", include("qiangxian.dashboard.urls")),
    path("projects/", include("qiangxian.projects.urls")),
    path("rules/", include("qiangxian.rules.urls")),
    path("tiers/", include("qiangxian.tiers.urls")),
    path("supervision/", include("qiangxian.supervision.urls")),
    path("chains/", include("qiangxian.chains.urls")),
    path("reports/", include("qiangxian.reports.urls")),
    path("policies/", include("qiangxian.policies.urls")),
    path("inbox/", include("qiangxian.inbox.urls")),
    path("service/", include("qiangxian.service.urls")),
    path("land/", include("qiangxian.land.urls")),
    path("portal/", include("qiangxian.portal.urls")),
    path("", include("qiangxian.core.urls")),
]

handler403 = "qiangxian.core.errors.forbidden"
handler404 = "qiangxian.core.errors.not_found"
handler500 = "qiangxian.core.errors.server_error"
