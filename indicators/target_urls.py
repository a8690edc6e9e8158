from django.urls import path

from . import target_views

app_name = "targets"

urlpatterns = [
    path("", target_views.target_list_view, name="list"),
    path("<int:target_id>/", target_views.target_edit_view, name="edit"),
    path("<int:target_id>/rieng/", target_views.override_set_view, name="override_set"),
    path("<int:target_id>/rieng/ket-thuc/", target_views.override_end_view, name="override_end"),
]
