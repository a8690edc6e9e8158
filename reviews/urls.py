from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("nam/<int:year>/", views.overview_view, name="overview_year"),
    path("don-vi/<int:unit_id>/", views.unit_view, name="unit"),
    path("don-vi/<int:unit_id>/ke-hoach/", views.plan_record_view, name="plan_record"),
    path("don-vi/<int:unit_id>/nam/<int:year>/bat-dau/", views.review_start_view, name="review_start"),
    path("ke-hoach/<int:plan_id>/tep/", views.plan_document_view, name="plan_document"),
    path("van-ban/<int:review_id>/", views.review_view, name="review"),
    path("van-ban/<int:review_id>/xem-truoc/", views.review_preview_view, name="preview"),
    path("van-ban/<int:review_id>/tiep-nhan/", views.review_receive_view, name="receive"),
    path("van-ban/<int:review_id>/tra-lai/", views.review_return_view, name="return"),
    path("van-ban/<int:review_id>/tep/<int:attachment_id>/", views.attachment_view, name="attachment"),
    path(
        "van-ban/<int:review_id>/tep/<int:attachment_id>/xoa/", views.attachment_remove_view, name="attachment_remove"
    ),
    path("danh-sach/", views.unit_list_view, name="units"),
    path("danh-sach/them/", views.unit_create_view, name="unit_create"),
    path("danh-sach/<int:unit_id>/sua/", views.unit_edit_view, name="unit_edit"),
    path("han-nop/<int:year>/", views.due_dates_view, name="due_dates"),
]
