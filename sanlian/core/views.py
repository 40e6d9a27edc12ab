from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import services
from .permissions import has_perm


def home(request):
    """Each role lands where its work is."""
    user = request.user
    if has_perm(user, "cockpit.view"):
        return redirect("dashboard:cockpit")
    if user.is_enterprise_user and user.enterprise_id:
        return redirect("enterprises:detail", pk=user.enterprise_id)
    return redirect("inbox")


def inbox(request):
    page = Paginator(request.user.notifications.all(), 20).get_page(request.GET.get("page"))
    return render(request, "core/inbox.html", {"page": page})


@require_POST
def inbox_mark_read(request):
    notification_id = request.POST.get("id")
    services.notification_mark_read(
        user=request.user,
        notification_id=int(notification_id) if notification_id and notification_id.isdigit() else None,
    )
    return redirect(request.POST.get("next") or reverse("inbox"))


@login_not_required
def healthz(request):
    from django.http import JsonResponse

    return JsonResponse({"status": "ok"})
