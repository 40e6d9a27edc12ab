from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import care, health, services
from .forms import ApiTokenForm, apply_service_errors
from .models import NotificationPreference, Role, Topic
from .notifications import preference_table
from .pagination import query_without_page
from .permissions import has_perm


def landing_url(user) -> str:
    """Where each role's work is: the cockpit, the own enterprise, the talent pages, the own leads."""
    if has_perm(user, "cockpit.view"):
        return reverse("dashboard:cockpit")
    if user.is_enterprise_user and user.enterprise_id:
        return reverse("enterprises:detail", kwargs={"pk": user.enterprise_id})
    if has_perm(user, "talent_application.view"):
        return reverse("talent:home")
    if has_perm(user, "lead.view"):
        return reverse("talent:leads")
    # A secretary's work is their organisation (the reverse relation of Organisation.secretaries).
    if user.role == Role.ORG_SECRETARY:
        run = user.organisations_run.order_by("pk").values_list("code", flat=True).first()
        if run:
            return reverse("orgs:detail", kwargs={"code": run})
    return reverse("inbox")


def home(request):
    return redirect(landing_url(request.user))


def inbox(request):
    """Every module's messages in one list, filtered by topic and unread."""
    topic = request.GET.get("topic", "")
    unread = request.GET.get("unread") == "1"
    messages_ = request.user.notifications.all()
    if topic in Topic.values:
        messages_ = messages_.filter(topic=topic)
    if unread:
        messages_ = messages_.filter(read_at__isnull=True)
    page = Paginator(messages_, 20).get_page(request.GET.get("page"))
    context = {
        "page": page, "topics": Topic.choices, "topic": topic, "unread": unread,
        "querystring": query_without_page(request),
    }  # fmt: skip
    return render(request, "core/inbox.html", context)


def inbox_preferences(request):
    """Per topic: the inbox badge, email (at once, daily digest, never) and SMS."""
    user = request.user
    if request.method == "POST":
        choices = {
            topic: {
                "in_app": request.POST.get(f"{topic}-in_app") == "on",
                "email": request.POST.get(f"{topic}-email", ""),
                "sms": request.POST.get(f"{topic}-sms") == "on",
            }
            for topic in Topic.values
        }
        services.notification_preferences_save(user=user, choices=choices)
        messages.success(request, _("消息偏好已保存"))
        return redirect("inbox-preferences")
    context = {"rows": preference_table(user), "email_choices": NotificationPreference.Email.choices}
    return render(request, "core/inbox_preferences.html", context)


@require_POST
def inbox_mark_read(request):
    notification_id = request.POST.get("id")
    services.notification_mark_read(
        user=request.user,
        notification_id=int(notification_id) if notification_id and notification_id.isdigit() else None,
    )
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("inbox")


@login_not_required
@require_POST
def care_mode(request):
    """关怀版 on or off (sanlian.core.care): back to the page the button was on, when that is on this site."""
    next_url = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    response = redirect(next_url if safe else reverse("home"))
    care.toggle(request, response)
    return response


class SignInView(LoginView):
    """Django's sign-in, which also applies the account's 关怀版 to this browser (sanlian.core.care)."""

    template_name = "core/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        care.apply_on_sign_in(self.request, response, form.get_user())
        return response


@login_not_required
def healthz(request):
    """Liveness: the process answers. Cheap on purpose (no database, no Redis): a load balancer polls it."""
    response = JsonResponse({"status": "ok"})
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
def readyz(request):
    """Readiness: the database, the cache, the Huey queue and free disk under var/; 503 naming what failed."""
    ready, checks = health.readiness()
    failed = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "ok" if ready else "fail", "failed": failed, "checks": checks}
    response = JsonResponse(body, status=200 if ready else 503)
    response["Cache-Control"] = "no-store"
    return response


def api_tokens(request):
    """The user's own API tokens: create one with an expiry (its key shown once), see them, revoke them."""
    user, now, key = request.user, timezone.now(), None
    form = ApiTokenForm(request.POST or None, initial={"days": settings.SANLIAN_API_TOKEN_DAYS})
    if request.method == "POST" and form.is_valid():
        try:
            token, key = services.api_token_create(
                user=user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("令牌 %(name)s 已创建") % {"name": token.name})
            form = ApiTokenForm(initial={"days": settings.SANLIAN_API_TOKEN_DAYS})
    tokens = user.api_tokens.order_by("-created_at")
    context = {
        "form": form, "key": key, "tokens": [(token, token.status(now)) for token in tokens],
        "max_days": settings.SANLIAN_API_TOKEN_MAX_DAYS,
    }  # fmt: skip
    # The key is on this one response only: never cached anywhere on the way.
    response = render(request, "core/api_tokens.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def api_token_revoke(request, pk: int):
    token = services.api_token_revoke(user=request.user, token_id=pk)
    messages.success(request, _("令牌 %(name)s 已吊销") % {"name": token.name})
    return redirect("api-tokens")


def account_delete(request):
    """A person deletes their own account (PIPL art. 47): their personal data is erased; asks for the password."""
    from django.contrib.auth import logout

    from .erasure import person_erase

    error = ""
    if request.method == "POST":
        if not request.user.check_password(request.POST.get("password", "")):
            error = _("密码不正确")
        else:
            try:
                person_erase(actor=request.user, user=request.user)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                logout(request)
                messages.success(request, _("您的账号已注销,个人信息已删除"))
                return redirect("login")
    status = 400 if error else 200
    return render(request, "core/account_delete.html", {"error": error}, status=status)
