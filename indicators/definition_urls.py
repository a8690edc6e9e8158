from django.urls import path

from . import definition_views

app_name = "definitions"

urlpatterns = [
    path("", definition_views.definition_list_view, name="list"),
    path("them/", definition_views.definition_create_view, name="create"),
    path("<int:definition_id>/sua/", definition_views.definition_edit_view, name="edit"),
]
