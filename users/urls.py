from django.urls import path

from . import views

app_name = "users"

urlpatterns = [
    path("", views.role_list, name="list"),
    path("them/", views.user_create, name="create"),
    path("<int:user_id>/", views.user_detail, name="detail"),
    path("<int:user_id>/cap-vai-tro/", views.role_grant, name="grant"),
    path("<int:user_id>/ngung/", views.user_deactivate, name="deactivate"),
    path("<int:user_id>/mo-lai/", views.user_reactivate, name="reactivate"),
    path("<int:user_id>/dat-lai-mat-khau/", views.password_reset, name="password_reset"),
    path("vai-tro/<int:role_id>/", views.role_edit, name="role_edit"),
    path("vai-tro/<int:role_id>/ket-thuc/", views.role_end, name="role_end"),
]
