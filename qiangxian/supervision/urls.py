from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.task_list, name="task_list"),
    path("tasks/new/", views.task_edit, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/reports/<int:report_pk>/file/", views.report_attachment, name="report_attachment"),
    path("letters/<int:pk>/", views.letter_download, name="letter"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_edit, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("draft/", views.draft_start, name="draft"),
    path("draft/<int:pk>/", views.draft_review, name="draft_review"),
    path("units/", views.unit_record, name="unit_record"),
    path("settings/", views.settings_page, name="settings"),
]
