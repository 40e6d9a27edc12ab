from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from sanlian.core import views as core_views

from .api import api

urlpatterns = [
    path("", core_views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="core/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("inbox/", core_views.inbox, name="inbox"),
    path("inbox/read/", core_views.inbox_mark_read, name="inbox-read"),
    path("healthz", core_views.healthz, name="healthz"),
    path("care-mode/", core_views.care_mode, name="care-mode"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("enterprises/", include("sanlian.enterprises.urls")),
    path("cockpit/", include("sanlian.dashboard.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
