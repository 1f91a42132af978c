from django.urls import path

from . import views

app_name = "land"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("parcels/", views.parcel_list, name="parcels"),
    path("parcels/new/", views.parcel_edit, name="parcel_create"),
    path("parcels/import/", views.parcel_import, name="parcel_import"),
    path("parcels/<int:pk>/", views.parcel_detail, name="parcel"),
    path("parcels/<int:pk>/edit/", views.parcel_edit, name="parcel_edit"),
    path("buildings/", views.building_list, name="buildings"),
    path("buildings/new/", views.building_edit, name="building_create"),
    path("buildings/import/", views.building_import, name="building_import"),
    path("buildings/<int:pk>/", views.building_detail, name="building"),
    path("buildings/<int:pk>/edit/", views.building_edit, name="building_edit"),
    path("idle/", views.idle_list, name="idle"),
    path("idle/<int:pk>/", views.idle_detail, name="idle_item"),
    path("breaches/", views.breach_list, name="breaches"),
    path("match/", views.match, name="match"),
    path("map/", views.map_page, name="map"),
    path("results/", views.result_list, name="results"),
    path("results/<int:pk>/", views.result_detail, name="result"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("schemes/", views.scheme_list, name="schemes"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme"),
    path("schemes/<int:pk>/adjustments/", views.scheme_adjustments, name="scheme_adjustments"),
    path("sandbox/<int:pk>/", views.sandbox, name="sandbox"),
]
