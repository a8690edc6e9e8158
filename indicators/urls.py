from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("chi-tiet/", views.drilldown_view, name="drilldown"),
    path("tien-do/", views.progress_view, name="progress"),
    path("tai-xuong/", views.export_view, name="export"),
    path("tinh-so-lieu/", views.refresh_view, name="refresh"),
]
