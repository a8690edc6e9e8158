from django.urls import path

from . import audit_views

app_name = "audit"

urlpatterns = [
    path("<slug:kind>/<int:object_id>/", audit_views.trail_view, name="trail"),
]
