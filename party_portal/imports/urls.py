from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.import_home, name="home"),
    path("mau/<slug:slug>/", views.import_template, name="template"),
    path("tai-len/<slug:slug>/", views.import_upload, name="upload"),
    path("<int:job_id>/", views.import_job, name="job"),
    path("<int:job_id>/tien-do/", views.import_job_progress, name="progress"),
    path("<int:job_id>/xac-nhan/", views.import_job_confirm, name="confirm"),
]
