from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from members import views as member_views
from party_portal import home
from reviews import urge_views

admin.site.site_header = _("Party Committee Portal – administration")
admin.site.site_title = _("Party Committee Portal")
admin.site.index_title = _("Data administration")

urlpatterns = [
    # Everyone's landing page: what waits for the user, then their figures (the dashboard) one click away.
    path("", home.home_view, name="home"),
    path("ho-so/", home.profile_view, name="profile"),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("mat-khau/", include("party_portal.account_urls")),
    path("to-chuc/", include("organizations.urls")),
    # Wired here rather than in organizations.urls: the page lists members, and organizations must not
    # import members.
    path("to-chuc/<int:organization_id>/", member_views.organization_detail, name="organization_detail"),
    path("dang-vien/", include("members.urls")),
    path("bang-dieu-khien/", include("indicators.urls")),
    path("chi-tieu/", include("indicators.target_urls")),
    path("chi-so/", include("indicators.definition_urls")),
    path("danh-muc/", include("members.code_urls")),
    path("bao-cao/", include("reports.urls")),
    path("so-ket/", include("reviews.urls")),
    path("nhap-du-lieu/", include("party_portal.imports.urls")),
    path("huong-dan/", include("party_portal.help_urls")),
    path("nguoi-dung/", include("users.urls")),
    path("lich-su/", include("party_portal.audit_urls")),
    # The urge is the reporting cycle's (reviews.reminders) but lives beside the notifications it sends.
    path("thong-bao/don-doc/", urge_views.urge_view, name="urge"),
    path("thong-bao/", include("notifications.urls")),
    path("", include("evaluations.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("party_portal.api_urls")),
    path("admin/", admin.site.urls),
]
