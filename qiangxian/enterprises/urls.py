from django.urls import path

from .views import clusters, designations, imports, plans, registry

app_name = "enterprises"

urlpatterns = [
    path("", registry.enterprise_list, name="list"),
    path("new/", registry.enterprise_edit, name="create"),
    path("mine/", registry.my_enterprises, name="mine"),
    path("<int:pk>/", registry.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", registry.enterprise_edit, name="edit"),
    path("<int:pk>/contacts/new/", registry.contact_edit, name="contact_create"),
    path("<int:pk>/contacts/<int:contact_id>/edit/", registry.contact_edit, name="contact_edit"),
    path("<int:pk>/contacts/<int:contact_id>/delete/", registry.contact_delete, name="contact_delete"),
    path("<int:pk>/liaisons/", registry.liaison_edit, name="liaison_edit"),
    path("<int:pk>/designations/new/", designations.designation_edit, name="designation_create"),
    path("<int:pk>/scale/", designations.scale_edit, name="scale_edit"),
    path("<int:enterprise_id>/plans/new/", plans.plan_edit, name="plan_create"),
    path("designations/", designations.designation_list, name="designation_list"),
    path("designations/expiring/", designations.designation_expiring, name="designation_expiring"),
    path("designations/<int:designation_id>/edit/", designations.designation_edit, name="designation_edit"),
    path(
        "designations/<int:designation_id>/delete/",
        designations.designation_delete,
        name="designation_delete",
    ),
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/overdue/", plans.overdue_measures, name="plan_overdue"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/docx/", plans.plan_docx, name="plan_docx"),
    path("plans/<int:pk>/measures/new/", plans.measure_add, name="measure_create"),
    path("plans/measures/<int:measure_id>/edit/", plans.measure_edit, name="measure_edit"),
    path("plans/<int:pk>/milestones/new/", plans.milestone_add, name="milestone_create"),
    path("plans/<int:pk>/reviews/new/", plans.review_add, name="review_create"),
    path("clusters/", clusters.cluster_list, name="cluster_list"),
    path("clusters/new/", clusters.cluster_edit, name="cluster_create"),
    path("clusters/<int:pk>/", clusters.cluster_detail, name="cluster_detail"),
    path("clusters/<int:pk>/edit/", clusters.cluster_edit, name="cluster_edit"),
    path("clusters/<int:pk>/members/", clusters.cluster_member, name="cluster_member"),
    path("task-forces/", clusters.task_force_list, name="task_force_list"),
    path("task-forces/new/", clusters.task_force_edit, name="task_force_create"),
    path("task-forces/<int:pk>/edit/", clusters.task_force_edit, name="task_force_edit"),
    path("imports/", imports.import_page, name="import"),
    path("imports/template/", imports.import_template, name="import_template"),
    path("imports/<int:pk>/", imports.import_batch, name="import_batch"),
    path("imports/<int:pk>/undo/", imports.import_undo, name="import_undo"),
]
