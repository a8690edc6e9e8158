from django.urls import path

from . import reorganization_views, views

app_name = "organizations"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:organization_id>/nhanh/", views.children, name="children"),
    path("chon/", views.picker, name="picker"),
    path("them/", reorganization_views.organization_create, name="create"),
    path("sap-xep/", reorganization_views.reorganization_list, name="reorganizations"),
    *(
        path(f"sap-xep/{slug}/", reorganization_views.reorganize, {"kind": kind}, name=slug)
        for kind, slug in reorganization_views.SLUGS.items()
    ),
]
