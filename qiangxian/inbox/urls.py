from django.urls import path

from . import views

app_name = "inbox"

urlpatterns = [
    path("", views.inbox_page, name="list"),
    path("read/", views.mark_read, name="mark_read"),
    path("badge/", views.badge, name="badge"),
    path("<int:pk>/open/", views.open_notice, name="open"),
    path("export/", views.gateway_export, name="export"),
]
