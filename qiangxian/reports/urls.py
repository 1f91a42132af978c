from django.urls import path

from . import views, views_templates

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("settings/", views.settings_toggle, name="settings"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/regenerate/", views.regenerate, name="regenerate"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/download/<str:which>/", views.download, name="download_extra"),
    path("templates/", views_templates.template_list, name="templates"),
    path("templates/<int:pk>/", views_templates.template_detail, name="template_detail"),
]
