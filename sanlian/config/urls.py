from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from sanlian.core import account_views, audit_views
from sanlian.core import views as core_views
from sanlian.talent import certificate_views

from .api import api

urlpatterns = [
    path("", core_views.home, name="home"),
    path(
        "login/",
        core_views.SignInView.as_view(),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("inbox/", core_views.inbox, name="inbox"),
    path("inbox/read/", core_views.inbox_mark_read, name="inbox-read"),
    path("inbox/preferences/", core_views.inbox_preferences, name="inbox-preferences"),
    path("account/tokens/", core_views.api_tokens, name="api-tokens"),
    path("account/delete/", core_views.account_delete, name="account-delete"),
    path("account/tokens/<int:pk>/revoke/", core_views.api_token_revoke, name="api-token-revoke"),
    path("account/password/", account_views.password_change, name="account-password"),
    path("account/otp/enrol/", account_views.otp_enrol, name="account-otp-enrol"),
    path("account/otp/verify/", account_views.otp_verify, name="account-otp-verify"),
    path("account/otp/backup-codes/", account_views.backup_codes, name="account-otp-backup-codes"),
    path("audit/", audit_views.audit_search, name="audit"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("care-mode/", core_views.care_mode, name="care-mode"),
    # Visitors choose their language before logging in too; a signed-in user's choice is remembered.
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("enterprises/", include("sanlian.enterprises.urls")),
    path("cockpit/", include("sanlian.dashboard.urls")),
    path("policies/", include("sanlian.policies.urls")),
    path("talent/", include("sanlian.talent.urls")),
    path("chain/", include("sanlian.chain.urls")),
    path("desk/", include("sanlian.servicedesk.urls")),
    path("space/", include("sanlian.space.urls")),
    path("imports/", include("sanlian.imports.urls")),
    path("orgs/", include(("sanlian.community.org_urls", "orgs"))),
    path("events/", include(("sanlian.community.event_urls", "events"))),
    path("news/", include(("sanlian.community.news_urls", "news"))),
    path("search/", include("sanlian.search.urls")),
    path("verify/<str:token>/", login_not_required(certificate_views.verify), name="certificate-verify"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
