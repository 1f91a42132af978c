from django.urls import path

from . import views

app_name = "chains"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.chain_edit, name="create"),
    path("cluster/<int:cluster_pk>/", views.by_cluster, name="by_cluster"),
    path("<int:pk>/", views.chain_detail, name="detail"),
    path("<int:pk>/edit/", views.chain_edit, name="edit"),
    path("<int:pk>/links/new/", views.link_edit, name="link_create"),
    path("<int:pk>/links/import/", views.links_import, name="links_import"),
    path("<int:pk>/links/export/", views.links_export, name="links_export"),
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("<int:pk>/leaders/", views.leaders_page, name="leaders"),
    path("<int:pk>/leaders/add/", views.leader_add, name="leader_add"),
    path("<int:pk>/purchases/new/", views.purchase_add, name="purchase_add"),
    path("<int:pk>/purchases/import/", views.purchases_import, name="purchases_import"),
    path("<int:pk>/purchases/template/", views.purchases_template, name="purchases_template"),
    path("links/<int:link_pk>/", views.link_detail, name="link"),
    path("links/<int:link_pk>/edit/", views.link_edit, name="link_edit"),
    path("links/<int:link_pk>/delete/", views.link_delete, name="link_delete"),
    path("links/<int:link_pk>/place/", views.place_enterprise, name="place_enterprise"),
    path("links/<int:link_pk>/projects/", views.place_project, name="place_project"),
    path(
        "links/<int:link_pk>/projects/<int:project_pk>/remove/", views.unplace_project, name="unplace_project"
    ),
    path("links/<int:link_pk>/targets/new/", views.target_edit, name="target_create"),
    path("targets/<int:target_pk>/edit/", views.target_edit, name="target_edit"),
    path("placements/<int:placement_pk>/<str:action>/", views.placement_action, name="placement_action"),
    path("leaders/<int:leader_pk>/remove/", views.leader_remove, name="leader_remove"),
    path("purchases/<int:purchase_pk>/delete/", views.purchase_delete, name="purchase_delete"),
]
