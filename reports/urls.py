from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.run_list, name="list"),
    path("moi/", views.run_create, name="create"),
    path("pham-vi/", views.scope_options, name="scope_options"),
    path("<int:pk>/", views.run_detail, name="detail"),
    path("<int:pk>/tien-do/", views.run_progress, name="progress"),
    path("<int:pk>/chay-lai/", views.run_rerun, name="rerun"),
    path("<int:pk>/ban-hanh/", views.run_issue, name="issue"),
    path("<int:pk>/tai-ve/", views.run_download, name="download"),
]
