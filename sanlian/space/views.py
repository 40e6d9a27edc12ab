"""Pages of the space service: public search and detail, listing management and verification, requests
with their ranked matches, viewings. Parse → one service or selector call → render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanlian.core.downloads import download
from sanlian.core.exports import wants_xlsx, xlsx_response
from sanlian.core.forms import apply_service_errors, error_text, flash_outcome
from sanlian.core.pagination import IdsFirstPaginator, query_without_page
from sanlian.core.permissions import has_perm, require, scope_queryset
from sanlian.enterprises.models import Enterprise, Park

from . import exports, selectors
from .explain import TERM_NAMES, UNITS, grade_label, sentence
from .forms import BookForm, FileForm, ListingForm, MoveForm, RequestForm, SearchForm, ViewingMoveForm
from .models import Listing, ListingFile
from .services import listings as listing_services
from .services import requests as request_services

LISTING_BUTTONS = {
    "submit": (gettext_lazy("提交核验"), "primary", False),
    "publish": (gettext_lazy("核验通过并发布"), "primary", False),
    "reject": (gettext_lazy("退回"), "secondary", True),
    "confirm": (gettext_lazy("确认房源信息仍有效"), "primary", False),
    "withdraw": (gettext_lazy("撤下房源"), "secondary", False),
}


def _page(request, rows):
    return IdsFirstPaginator(rows, settings.SANLIAN_PAGE_SIZE).get_page(request.GET.get("page"))


# -- public ----------------------------------------------------------------------------------------------


@login_not_required
def search(request):
    form = SearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="space.search", title=_("空间服务"), filename=_("空间服务") + ".xlsx",
            columns=exports.listings_columns(), rows=selectors.public_listings(filters),
        )  # fmt: skip
    context = {
        "form": form,
        "page": _page(request, selectors.public_listings(filters)),
        "querystring": query_without_page(request),
        "can_manage": has_perm(request.user, "space_listing.manage"),
        "can_request": has_perm(request.user, "space_request.view"),
    }
    return render(request, "space/search.html", context)


@login_not_required
def listing_detail(request, pk):
    listing = selectors.listing_for_page(request.user, pk)
    context = {
        "listing": listing,
        "photos": [f for f in listing.files.all() if f.is_image],
        "documents": [f for f in listing.files.all() if not f.is_image],
        "can_manage": selectors.can_manage(request.user, listing),
    }
    return render(request, "space/listing.html", context)


@login_not_required
def listing_file(request, pk):
    item = selectors.file_for(request.user, pk)
    # Photos show inline on the listing page; everything else downloads.
    return download(item.file.open("rb"), filename=item.name, inline_image=item.is_image)


# -- landlords and officers ------------------------------------------------------------------------------


def manage(request):
    user = request.user
    require(user, "space_listing.manage")
    status = request.GET.get("status", "")
    if status not in Listing.Status.values:
        status = ""
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="space.manage", title=_("房源管理"), filename=_("房源管理") + ".xlsx",
            columns=exports.listings_columns(manage=True), rows=selectors.managed_listings(user, status),
        )  # fmt: skip
    context = {
        "page": _page(request, selectors.managed_listings(user, status)),
        "status": status,
        "statuses": Listing.Status.choices,
        "querystring": query_without_page(request),
        "pending": selectors.managed_listings(user, Listing.Status.PENDING).count() if user.is_officer else None,
    }
    return render(request, "space/manage.html", context)


def _parks_for(user):
    return scope_queryset(user, Park.objects.all()) if user.is_officer else Park.objects.all()


def _listing_data(form, user) -> dict:
    data = dict(form.cleaned_data)
    uscc = (data.pop("landlord_uscc", "") or "").strip().upper()
    if user.is_officer or user.is_superuser:
        data["landlord"] = Enterprise.objects.filter(uscc=uscc).first() if uscc else None
    return data


def listing_edit(request, pk=None):
    user = request.user
    require(user, "space_listing.manage")
    listing = selectors.managed_listing(user, pk) if pk else None
    officer = user.is_officer or user.is_superuser
    initial = ListingForm.initial_of(listing) if listing else None
    form = ListingForm(request.POST or None, initial=initial, parks=_parks_for(user), officer=officer)
    if request.method == "POST" and form.is_valid():
        try:
            data, now = _listing_data(form, user), timezone.now()
            if listing is None:
                listing = listing_services.listing_create(actor=user, data=data, now=now)
            else:
                listing_services.listing_update(actor=user, listing=listing, data=data, now=now)
        except ValidationError as exc:
            if "landlord" in exc.message_dict and "landlord_uscc" in form.fields:
                exc = ValidationError({"landlord_uscc": exc.message_dict.pop("landlord"), **exc.message_dict})
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("房源已保存"))
            return redirect("space:manage-listing", pk=listing.pk)
    status = 400 if form.errors else 200
    return render(request, "space/listing_form.html", {"form": form, "listing": listing}, status=status)


def manage_listing(request, pk):
    user = request.user
    listing = selectors.managed_listing(user, pk)
    if wants_xlsx(request):  # the listing's leases
        return xlsx_response(
            request, list_name="space.leases", title=_("租赁成交"), filename=f"listing-{listing.pk}-leases.xlsx",
            columns=exports.leases_columns(), rows=listing.leases.select_related("tenant").order_by("start_date", "pk"),
            target=listing,
        )  # fmt: skip
    buttons = [
        {"action": action, "label": label, "style": style, "comment": comment}
        for action, (label, style, comment) in LISTING_BUTTONS.items()
        if listing_services.can_act(user, listing, action)
    ]
    context = {
        "listing": listing,
        "files": listing.files.all(),
        "buttons": buttons,
        "file_form": FileForm(),
        "leases": listing.leases.select_related("tenant"),
        "viewings": listing.viewings.select_related("request__enterprise").order_by("-starts_at")[:50],
        "can_edit": listing.status in listing_services.EDITABLE,
    }
    return render(request, "space/manage_listing.html", context)


@require_POST
def listing_move(request, pk):
    listing = selectors.managed_listing(request.user, pk)
    form = MoveForm(request.POST)
    form.is_valid()
    with flash_outcome(request, success=_("操作成功")):
        listing_services.listing_transition(
            actor=request.user, listing=listing, action=form.cleaned_data.get("action", ""),
            comment=form.cleaned_data.get("comment", ""), now=timezone.now(),
        )  # fmt: skip
    return redirect("space:manage-listing", pk=pk)


@require_POST
def listing_upload(request, pk):
    listing = selectors.managed_listing(request.user, pk)
    form = FileForm(request.POST)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    try:
        listing_services.listing_file_add(
            actor=request.user, listing=listing, kind=kind, upload=request.FILES.get("file"), now=timezone.now()
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("附件已上传"))
    return redirect("space:manage-listing", pk=pk)


@require_POST
def listing_file_remove(request, pk):
    item = ListingFile.objects.select_related("listing").filter(pk=pk).first()
    listing = selectors.managed_listing(request.user, item.listing_id if item else 0)
    listing_services.listing_file_remove(actor=request.user, item=item, now=timezone.now())
    messages.success(request, _("附件已删除"))
    return redirect("space:manage-listing", pk=listing.pk)


# -- requests and viewings -------------------------------------------------------------------------------


def requests(request):
    user = request.user
    require(user, "space_request.view")
    if wants_xlsx(request):  # two sheets: the requests and the viewings (all of them, not the page's 50)
        return xlsx_response(
            request, list_name="space.requests", title=_("空间需求"), filename=_("空间需求与看房") + ".xlsx",
            columns=exports.requests_columns(), rows=selectors.visible_requests(user),
            extra_sheets=[(_("看房预约"), exports.viewings_columns(), selectors.visible_viewings(user))],
        )  # fmt: skip
    context = {
        "page": _page(request, selectors.visible_requests(user)),
        "querystring": "",
        "can_submit": has_perm(user, "space_request.submit"),
        "viewing_rows": [
            {"viewing": v, "side": request_services.viewing_side(user, v)}
            for v in selectors.visible_viewings(user)[:50]
        ],
    }
    return render(request, "space/requests.html", context)


def request_new(request):
    require(request.user, "space_request.submit")
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = request_services.space_request_submit(
                actor=request.user, data=form.cleaned_data, now=timezone.now()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("空间需求已提交,下方为匹配的房源"))
            return redirect("space:request", pk=created.pk)
    context = {
        "form": form,
        "main_fields": [form[name] for name in form.fields if not name.startswith(("required_", "preferred_"))],
        "required_fields": form.spec_fields("required"),
        "preferred_fields": form.spec_fields("preferred"),
    }
    return render(request, "space/request_new.html", context, status=400 if form.errors else 200)


def _explained(rows, park_names, failed=False):
    out = []
    for listing, item in rows:
        reasons = item.failed if failed else item.reasons
        out.append({"listing": listing, "item": item,
                    "sentences": [(r.status, sentence(r, park_names)) for r in reasons]})  # fmt: skip
    return out


def request_detail(request, pk):
    user = request.user
    space_request = selectors.request_for(user, pk)
    ranked, excluded = selectors.request_matches(space_request)
    park_names = {p.code: p.name for p in Park.objects.all()}
    viewings = space_request.viewings.select_related("listing", "listing__park").order_by("-starts_at")
    context = {
        "req": space_request,
        "ranked": _explained(ranked[:20], park_names),
        "excluded": _explained(excluded[:20], park_names, failed=True),
        "excluded_count": len(excluded),
        "viewings": [{"viewing": v, "side": request_services.viewing_side(user, v)} for v in viewings],
        "can_book": space_request.status == "open" and has_perm(user, "space_viewing.book", space_request),
        "book_form": BookForm(),
        "required": _spec_sentences(space_request.required),
        "preferred": _spec_sentences(space_request.preferred),
    }
    return render(request, "space/request.html", context)


def _spec_sentences(specs: dict) -> list[str]:
    out = []
    for term, value in (specs or {}).items():
        if term == "cleanroom":
            out.append(f"{TERM_NAMES[term]} ≥ {grade_label(value)}")
        elif term in UNITS:
            out.append(f"{TERM_NAMES[term]} ≥ {value} {UNITS[term]}")
        else:
            out.append(str(TERM_NAMES[term]))
    return out


@require_POST
def request_close(request, pk):
    space_request = selectors.request_for(request.user, pk)
    try:
        request_services.space_request_close(actor=request.user, request=space_request, now=timezone.now())
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("空间需求已关闭"))
    return redirect("space:request", pk=pk)


@require_POST
def viewing_book(request, pk):
    space_request = selectors.request_for(request.user, pk)
    form = BookForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(ValidationError(form.errors)))
        return redirect("space:request", pk=pk)
    listing = Listing.objects.filter(pk=form.cleaned_data["listing"]).first()
    with flash_outcome(request, success=_("已预约看房,等待业主确认")):
        if listing is None:
            raise ValidationError({"listing": _("该房源当前不可预约")})
        request_services.viewing_book(
            actor=request.user, request=space_request, listing=listing, starts_at=form.cleaned_data["starts_at"],
            note=form.cleaned_data["note"], now=timezone.now(),
        )  # fmt: skip
    return redirect("space:request", pk=pk)


@require_POST
def viewing_move(request, pk):
    viewing = selectors.viewing_for(request.user, pk)
    form = ViewingMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(ValidationError(form.errors)))
        return redirect(request.POST.get("next") or "space:requests")
    data = form.cleaned_data
    with flash_outcome(request, success=_("操作成功")):
        request_services.viewing_transition(
            actor=request.user, viewing=viewing, action=data["action"], starts_at=data["starts_at"],
            note=data["note"], now=timezone.now(),
            outcome={"area": data["area"], "rent_yuan": data["rent_yuan"], "start_date": data["start_date"]},
        )  # fmt: skip
    if selectors.visible_requests(request.user).filter(pk=viewing.request_id).exists():
        return redirect("space:request", pk=viewing.request_id)
    return redirect("space:requests")
