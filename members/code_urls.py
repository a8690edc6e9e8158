from django.urls import path

from . import code_views

app_name = "codes"

urlpatterns = [
    path("", code_views.code_lists, name="lists"),
    path("ma/<int:code_id>/", code_views.code_edit, name="edit"),
    path("<slug:code_list>/", code_views.code_list, name="list"),
    path("<slug:code_list>/them/", code_views.code_add, name="add"),
]
