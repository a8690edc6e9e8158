from django.urls import path

from . import comparison_views, consolidated_views, final_review_views, form_views, views

app_name = "reports"

urlpatterns = [
    path("", views.run_list, name="list"),
    path("moi/", views.run_create, name="create"),
    path("<int:pk>/", views.run_detail, name="detail"),
    path("<int:pk>/tien-do/", views.run_progress, name="progress"),
    path("<int:pk>/chay-lai/", views.run_rerun, name="rerun"),
    path("<int:pk>/ban-hanh/", views.run_issue, name="issue"),
    path("<int:pk>/tai-ve/", views.run_download, name="download"),
    path("so-sanh/", comparison_views.comparison_page, name="comparison"),
    path("so-sanh/tai-xuong/", comparison_views.comparison_download, name="comparison_download"),
    path("tong-hop/", consolidated_views.consolidated_list, name="consolidated"),
    path("tong-hop/moi/", consolidated_views.consolidated_create, name="consolidated_create"),
    path("tong-hop/<int:report_id>/ban-hanh/", consolidated_views.consolidated_issue, name="consolidated_issue"),
    path("tong-hop/<int:report_id>/tai-ve/", consolidated_views.consolidated_download, name="consolidated_download"),
    path("tong-ket/", final_review_views.final_review_page, name="final_review"),
    path("tong-ket/tai-ve/", final_review_views.final_review_download, name="final_review_download"),
    path("bieu-mau/", form_views.form_index, name="forms"),
    path("bieu-mau/danh-sach-dang-vien/cong-viec/", form_views.register_job_start, name="register_job_start"),
    path(
        "bieu-mau/danh-sach-dang-vien/cong-viec/<int:job_id>/tai-ve/",
        form_views.register_job_download,
        name="register_job_download",
    ),
]
for key, slug in form_views.SLUGS.items():
    urlpatterns += [
        path(f"bieu-mau/{slug}/", form_views.form_page, {"form_key": key}, name=f"form_{key}"),
        path(f"bieu-mau/{slug}/tai-ve/", form_views.form_download, {"form_key": key}, name=f"form_{key}_download"),
    ]
