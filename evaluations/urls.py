from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("xep-loai/", views.grid_list, name="grids"),
    path("xep-loai/<int:organization_id>/", views.grid_latest, name="grid_latest"),
    path("xep-loai/<int:organization_id>/<int:year>/", views.rating_grid, name="grid"),
    path("duyet/", views.approval_queue, name="queue"),
    path("duyet/tai-xuong/", views.approval_queue_export, name="queue_export"),
    path("duyet/<int:organization_id>/<int:year>/", views.review, name="review"),
    path("nam-danh-gia/", views.year_list, name="years"),
    path("nam-danh-gia/<int:year>/dong/", views.year_close, name="year_close"),
    path("nam-danh-gia/<int:year>/mo-lai/", views.year_reopen, name="year_reopen"),
]
