from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list_view, name="list"),
    path("da-doc/", views.mark_read_view, name="mark_read"),
    path("cai-dat/", views.settings_view, name="settings"),
]
