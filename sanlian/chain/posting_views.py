"""Supply–demand pages (供需对接): parse input → one service or selector call → render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanlian.core.exports import wants_xlsx, xlsx_response
from sanlian.core.forms import apply_service_errors, error_text
from sanlian.core.pagination import IdsFirstPaginator
from sanlian.core.permissions import get_scoped, has_perm, require

from . import exports, selectors
from .models import Interest, Posting
from .posting_forms import (
    BrokerForm,
    InterestFilterForm,
    InterestForm,
    MoveForm,
    PostingFilterForm,
    PostingForm,
    ReviewForm,
)
from .services import interests as interest_services
from .services import postings as services

PER_PAGE = 20
S = Posting.Status
I = Interest.Status  # noqa: E741

# The broker's buttons, in order: action → (label, style).
BROKER_BUTTONS = {
    "introduce": (gettext_lazy("引荐双方"), "primary"),
    "meeting_held": (gettext_lazy("登记已洽谈"), ""),
    "signed": (gettext_lazy("登记签约"), "primary"),
    "no_deal": (gettext_lazy("登记未成交"), ""),
    "decline": (gettext_lazy("不予引荐"), "danger"),
}


def _enterprise_of(user):
    return user.enterprise if getattr(user, "is_enterprise_user", False) and user.enterprise_id else None


def _status_choices(user) -> list[tuple[str, str]]:
    return [("live", _("有效")), *S.choices]


# Lists -----------------------------------------------------------------------------------------------


def posting_list(request):
    user = request.user
    require(user, "posting.view")
    today = timezone.localdate()
    form = PostingFilterForm(request.GET or None, statuses=_status_choices(user))
    filters = selectors.PostingFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.PostingFilters(**form.cleaned_data)
    try:
        postings = selectors.postings_visible(user=user, today=today, filters=filters)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        postings = Posting.objects.none()
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="chain.postings", title=_("供需信息"), filename=_("供需信息") + ".xlsx",
            columns=exports.postings_columns(), rows=postings.prefetch_related("nodes"),
        )  # fmt: skip
    page = IdsFirstPaginator(postings, PER_PAGE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(request, "chain/postings/list.html", {
        "page": page, "form": form, "today": today, "querystring": urlencode(query),
        "can_create": has_perm(user, "posting.edit") and _enterprise_of(user) is not None,
        "can_review": has_perm(user, "posting.review"),
        "pending_count": selectors.review_queue(user=user).count() if has_perm(user, "posting.review") else 0,
    })  # fmt: skip


def review_queue(request):
    user = request.user
    require(user, "posting.review")
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="chain.review_queue", title=_("供需审核"), filename=_("供需审核") + ".xlsx",
            columns=exports.postings_columns(), rows=selectors.review_queue(user=user).prefetch_related("nodes"),
        )  # fmt: skip
    page = IdsFirstPaginator(selectors.review_queue(user=user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "chain/postings/review_queue.html", {"page": page, "querystring": ""})


# Writing ---------------------------------------------------------------------------------------------


def posting_new(request):
    user = request.user
    require(user, "posting.edit")
    enterprise = _enterprise_of(user)
    if enterprise is None:
        raise PermissionDenied
    form = PostingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                posting = services.posting_create(actor=user, enterprise=enterprise, data=form.service_data(),
                                                  now=timezone.now())  # fmt: skip
                if "submit" in request.POST:
                    services.posting_submit(actor=user, posting=posting, now=timezone.now())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已提交审核") if "submit" in request.POST else _("已保存草稿"))
            return redirect("chain:posting", pk=posting.pk)
    status = 400 if form.is_bound else 200
    return render(request, "chain/postings/form.html", {"form": form, "posting": None}, status=status)


def posting_edit(request, pk):
    user = request.user
    posting = get_scoped(user, "posting.edit", Posting.objects.select_related("enterprise"), pk=pk)
    if posting.status not in services.EDITABLE:
        messages.error(request, _("「%(status)s」的信息不能修改") % {"status": posting.get_status_display()})
        return redirect("chain:posting", pk=pk)
    form = PostingForm(request.POST or None, posting=posting)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.posting_save(actor=user, posting=posting, data=form.service_data(), now=timezone.now())
                if "submit" in request.POST:
                    services.posting_submit(actor=user, posting=posting, now=timezone.now())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已提交审核") if "submit" in request.POST else _("已保存"))
            return redirect("chain:posting", pk=pk)
    status = 400 if form.is_bound else 200
    return render(request, "chain/postings/form.html", {"form": form, "posting": posting}, status=status)


# One posting -----------------------------------------------------------------------------------------


def _matches(posting, today):
    """The matcher's suggestions, or None while the matcher (module or partial) is not there."""
    try:
        from .matching import matches_for_posting
    except ImportError:
        return None
    try:
        get_template("chain/_matches.html")
    except TemplateDoesNotExist:
        return None
    return matches_for_posting(posting, as_of=today)


def _broker_buttons(user, interest) -> list[dict]:
    if not selectors.can_broker(user, interest):
        return []
    buttons = []
    for action, (label, style) in BROKER_BUTTONS.items():
        sources, _target = interest_services.BROKER_ACTIONS[action]
        if interest.status in sources:
            buttons.append({"action": action, "label": label, "style": style})
    return buttons


def _interest_rows(user, interests) -> list[dict]:
    return [
        {
            "interest": interest,
            "buttons": _broker_buttons(user, interest),
            "can_withdraw": selectors.can_withdraw(user, interest),
            "supplier": selectors.supplier_and_customer(interest)[0],
        }
        for interest in interests
    ]


def posting_detail(request, pk):
    user = request.user
    require(user, "posting.view")
    today = timezone.localdate()
    posting = selectors.posting_visible(user=user, pk=pk, today=today)
    is_owner = selectors.is_owner(user, posting)
    can_review = selectors.can_review(user, posting)
    enterprise = _enterprise_of(user)
    live = services.is_live(posting, today)
    mine = selectors.interest_of_enterprise(posting=posting, enterprise_id=enterprise.pk if enterprise else None)
    can_express = (
        enterprise is not None
        and enterprise.pk != posting.enterprise_id
        and live
        and has_perm(user, "interest.create")
        and (mine is None or mine.status == I.WITHDRAWN)
    )
    sees_interests = is_owner or user.is_officer or user.is_superuser
    interests = selectors.interests_of_posting(user=user, posting=posting) if sees_interests else []
    context = {
        "posting": posting,
        "nodes": list(posting.nodes.all()),
        "today": today,
        "live": live,
        "is_owner": is_owner,
        "can_edit": is_owner and posting.status in services.EDITABLE,
        "can_submit": is_owner and posting.status in services.SUBMITTABLE,
        "can_renew": is_owner and services.can_renew(posting, today),
        "can_close": (is_owner or can_review) and posting.status in services.CLOSABLE,
        "is_request": posting.kind in services.REQUEST_KINDS,
        "can_review": can_review and posting.status == S.PENDING,
        "review_form": ReviewForm(),
        "can_express": can_express,
        "interest_form": InterestForm() if can_express else None,
        "my_interest": mine,
        "interest_rows": _interest_rows(user, interests),
        "sees_interests": sees_interests,
        "matches": _matches(posting, today) if (is_owner or user.is_officer or user.is_superuser) else None,
    }
    return render(request, "chain/postings/detail.html", context)


@require_POST
def posting_move(request, pk):
    user = request.user
    posting = selectors.posting_visible(user=user, pk=pk, today=timezone.localdate())
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("未知操作"))
        return redirect("chain:posting", pk=pk)
    action, now = form.cleaned_data["action"], timezone.now()
    try:
        if action == "submit":
            services.posting_submit(actor=user, posting=posting, now=now)
            done = _("已提交审核")
        elif action == "renew":
            posting = services.posting_renew(actor=user, posting=posting, now=now)
            done = _("已续期,有效期至 %(date)s") % {"date": posting.expires_date.isoformat()}
        else:
            services.posting_close(
                actor=user, posting=posting, no_local_partner=form.cleaned_data["no_local_partner"], now=now
            )
            done = _("已关闭")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, done)
    return redirect("chain:posting", pk=pk)


@require_POST
def posting_review(request, pk):
    user = request.user
    posting = get_scoped(user, "posting.review", Posting.objects.select_related("enterprise"), pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("未知操作"))
        return redirect("chain:posting", pk=pk)
    try:
        services.posting_review(
            actor=user, posting=posting, action=form.cleaned_data["action"], comment=form.cleaned_data["comment"],
            now=timezone.now(),
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("chain:posting", pk=pk)
    messages.success(request, _("已发布") if form.cleaned_data["action"] == "publish" else _("已退回"))
    if request.POST.get("back") == "queue":
        return redirect("chain:review-queue")
    return redirect("chain:posting", pk=pk)


# Interests -------------------------------------------------------------------------------------------


@require_POST
def interest_express(request, pk):
    user = request.user
    require(user, "interest.create")
    posting = selectors.posting_visible(user=user, pk=pk, today=timezone.localdate())
    form = InterestForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(ValidationError(form.errors)))
        return redirect("chain:posting", pk=pk)
    try:
        interest_services.interest_express(actor=user, posting=posting, note=form.cleaned_data["note"],
                                           now=timezone.now())  # fmt: skip
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已表达对接意向,工作人员将为您引荐"))
    return redirect("chain:posting", pk=pk)


def interest_list(request):
    user = request.user
    if not (has_perm(user, "interest.create") or has_perm(user, "interest.broker")):
        raise PermissionDenied
    is_broker = has_perm(user, "interest.broker")
    if is_broker:
        sides = [("broker", _("待撮合")), ("", _("全部"))]
    else:
        sides = [("mine", _("我表达的意向")), ("received", _("收到的意向"))]
    side = request.GET.get("side", sides[0][0])
    if side not in dict(sides):
        side = sides[0][0]
    form = InterestFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    interests = selectors.interests_visible(user=user, side=side, status=status)
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="chain.interests", title=_("对接意向"), filename=_("对接意向") + ".xlsx",
            columns=exports.interests_columns(), rows=interests,
        )  # fmt: skip
    page = IdsFirstPaginator(interests, PER_PAGE).get_page(request.GET.get("page"))
    query = {k: v for k, v in (("side", side), ("status", status)) if v}
    return render(request, "chain/postings/interests.html", {
        "page": page, "rows": _interest_rows(user, page.object_list), "form": form, "sides": sides, "side": side,
        "querystring": urlencode(query), "is_broker": is_broker,
    })  # fmt: skip


@require_POST
def interest_move(request, pk):
    user = request.user
    interest = selectors.interest_visible(user=user, pk=pk)
    form = BrokerForm(request.POST)
    back = (
        redirect("chain:posting", pk=interest.posting_id)
        if request.POST.get("back") == "posting"
        else redirect("chain:interests")
    )
    if not form.is_valid():
        messages.error(request, error_text(ValidationError(form.errors)))
        return back
    data, now = form.cleaned_data, timezone.now()
    try:
        if data["action"] == "withdraw":
            interest_services.interest_withdraw(actor=user, interest=interest, now=now)
        else:
            interest_services.interest_broker(
                actor=user, interest=interest, action=data["action"], now=now, meeting_date=data["meeting_date"],
                signed_date=data["signed_date"], amount=data["amount"], note=data["note"],
            )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已登记"))
    return back
