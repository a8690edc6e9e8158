from django.urls import path

from . import export_views, views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("nhom/", views.group_view, name="group"),
    path("chi-tiet/", views.drilldown_view, name="drilldown"),
    path("chi-tiet/tai-xuong/", export_views.drilldown_export_view, name="drilldown_export"),
    path("tien-do/", views.progress_view, name="progress"),
    path("tien-do/tai-xuong/", export_views.progress_export_view, name="progress_export"),
    path("tai-xuong/", views.export_view, name="export"),
    path("tinh-so-lieu/", views.refresh_view, name="refresh"),
]
