from django.urls import path

from . import record_views, views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="list"),
    path("tai-xuong/", views.member_list_export, name="list_export"),
    path("<int:member_id>/", views.member_detail, name="detail"),
    path("them/<int:organization_id>/", views.member_create, name="create"),
    path("chuyen-den/<int:organization_id>/", views.member_arrive, name="arrive"),
    path("don-vi/", views.unit_options, name="unit_options"),
    path("<int:member_id>/sua/", views.member_edit, name="edit"),
    path("<int:member_id>/bien-dong/", views.movement_add, name="movement_add"),
    path("<int:member_id>/ly-luan/", views.theory_level_add, name="theory_add"),
    path("<int:member_id>/ky-luat/", views.discipline_add, name="discipline_add"),
    path("<int:member_id>/trang-thai/", views.status_period_add, name="status_add"),
    path("<int:member_id>/cap-uy/", record_views.committee_seat_add, name="seat_add"),
    path("cap-uy/<int:seat_id>/ket-thuc/", record_views.committee_seat_end, name="seat_end"),
    path("trang-thai/<int:status_period_id>/ket-thuc/", record_views.status_period_end, name="status_end"),
    path("<int:member_id>/chuc-vu/", record_views.government_post_add, name="post_add"),
    path("chuc-vu/<int:post_id>/ket-thuc/", record_views.government_post_end, name="post_end"),
    path(
        "du-hop-chi-bo/<int:organization_id>/<int:year>/<int:quarter>/",
        record_views.meeting_attendance,
        name="attendance",
    ),
]
