"""Pages of community events (活动). Parse → one service or selector call → render."""

import io
from pathlib import PurePath

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanlian.core.downloads import download, protect
from sanlian.core.exports import wants_xlsx, xlsx_response
from sanlian.core.forms import apply_service_errors, error_text, flash_outcome
from sanlian.core.pagination import IdsFirstPaginator, query_without_page
from sanlian.core.permissions import has_perm, require

from . import event_selectors as selectors
from . import exports
from .event_forms import CheckInForm, DocumentBatchForm, EventForm, SurveyForm, SurveyQuestionsForm
from .models import Event, IssuedDocument, Registration
from .services import event_documents as documents
from .services import event_photos as photo_services
from .services import events as services

PER_PAGE = 20


def _page(request, queryset):
    return IdsFirstPaginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


@login_not_required
def event_list(request):
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="events.list", title=_("活动"), filename=_("活动") + ".xlsx",
            columns=exports.events_columns(), rows=selectors.public_events(when=when, now=timezone.now()),
        )  # fmt: skip
    return render(request, "community/events/list.html", {
        "page": _page(request, selectors.public_events(when=when, now=timezone.now())),
        "when": when, "querystring": query_without_page(request),
        "can_manage": has_perm(request.user, "activity.manage"),
    })  # fmt: skip


@login_not_required
def detail(request, pk):
    event = selectors.event_for(request.user, pk)
    now = timezone.now()
    return render(request, "community/events/detail.html", {
        "event": event, "sessions": event.sessions.all(),
        "registration": selectors.my_registration(request.user, event),
        "open": event.status == Event.Status.PUBLISHED
        and event.registration_opens_at <= now <= event.registration_closes_at,
        "can_manage": services.can_manage(request.user, event),
        "survey_open": event.ends_at <= now and event.survey_questions.exists(),
        "photos": event.photos.all(),
    })  # fmt: skip


@require_POST
def register(request, pk):
    event = selectors.event_for(request.user, pk)
    try:
        registration = services.registration_create(actor=request.user, event=event, now=timezone.now())
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("events:detail", pk=pk)
    if registration.status == Registration.Status.WAITLISTED:
        messages.success(request, _("名额已满,您已进入候补,第 %(n)s 位") % {"n": registration.waitlist_position})
    elif registration.status == Registration.Status.PENDING:
        messages.success(request, _("报名已提交,等待主办方审核"))
    else:
        messages.success(request, _("报名成功,签到二维码见「我的活动」"))
    return redirect("events:detail", pk=pk)


@require_POST
def cancel_mine(request, pk):
    registration = selectors.registration_of(request.user, pk)
    with flash_outcome(request, success=_("已取消报名")):
        services.registration_transition(
            actor=request.user, registration=registration, action="cancel", now=timezone.now()
        )
    return redirect("events:mine")


def mine(request):
    require(request.user, "activity.register")
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="events.mine", title=_("我的活动"), filename=_("我的活动") + ".xlsx",
            columns=exports.my_registrations_columns(), rows=selectors.my_registrations(request.user),
        )  # fmt: skip
    return render(
        request, "community/events/mine.html", {"page": _page(request, selectors.my_registrations(request.user))}
    )


def checkin_url(request, registration: Registration) -> str:
    return request.build_absolute_uri(reverse("events:scan", args=[registration.checkin_token]))


def my_qr(request, pk):
    """The SVG QR of one's own approved registration (others answer 404)."""
    registration = selectors.registration_of(request.user, pk)
    if registration.status != Registration.Status.APPROVED:
        raise Http404
    buffer = io.BytesIO()
    segno.make(checkin_url(request, registration), error="m").save(buffer, kind="svg", scale=6, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    # An SVG is a document that could carry script: shown in <img> it never runs, opened on its own it is sandboxed.
    return protect(response)


def scan(request, token):
    """Where a scanned QR lands: the organiser confirms the check-in, the owner may check themselves in."""
    registration = (
        Registration.objects.select_related("event", "user", "enterprise").filter(checkin_token=token).first()
    )
    if registration is None:
        raise Http404
    organiser = services.can_manage(request.user, registration.event)
    if not organiser and registration.user_id != request.user.pk:
        messages.error(request, _("不能使用他人的签到码签到"))
        return redirect("events:mine")
    return render(request, "community/events/scan.html", {
        "registration": registration, "event": registration.event, "organiser": organiser, "token": token,
    })  # fmt: skip


@require_POST
def self_check_in(request, pk):
    event = selectors.event_for(request.user, pk)
    with flash_outcome(request, success=_("签到成功,欢迎参会")):
        services.registration_check_in(
            actor=request.user, event=event, scanned=request.POST.get("scanned", ""), now=timezone.now()
        )
    return redirect("events:mine")


# Organiser pages.


def manage(request):
    require(request.user, "activity.manage")
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="events.manage", title=_("活动管理"), filename=_("活动管理") + ".xlsx",
            columns=exports.events_columns(manage=True), rows=selectors.managed_events(request.user),
        )  # fmt: skip
    return render(
        request, "community/events/manage.html", {"page": _page(request, selectors.managed_events(request.user))}
    )


def _form_page(request, form, title, event):
    return render(request, "community/events/form.html", {"form": form, "title": title, "event": event})


def event_new(request):
    user = request.user
    require(user, "activity.manage")
    form = EventForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data, sessions = form.service_data()
        try:
            event = services.event_create(actor=user, data=data, sessions=sessions, now=timezone.now())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("活动已创建(草稿),发布后公开报名"))
            return redirect("events:detail", pk=event.pk)
    return _form_page(request, form, _("创建活动"), None)


def event_edit(request, pk):
    user = request.user
    event = selectors.event_to_manage(user, pk)
    form = EventForm(request.POST or None, user=user, initial=EventForm.initial_for(event))
    if request.method == "POST" and form.is_valid():
        data, sessions = form.service_data()
        try:
            services.event_update(actor=user, event=event, data=data, sessions=sessions, now=timezone.now())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("events:detail", pk=event.pk)
    return _form_page(request, form, _("编辑活动"), event)


@require_POST
def event_status(request, pk):
    event = selectors.event_to_manage(request.user, pk)
    action = request.POST.get("action", "")
    done = {"publish": _("活动已发布"), "cancel": _("活动已取消"), "finish": _("活动已结束")}
    with flash_outcome(request, success=done.get(action, "")):
        services.event_transition(actor=request.user, event=event, action=action, now=timezone.now())
    return redirect("events:detail", pk=pk)


def registrations(request, pk):
    event = selectors.event_to_manage(request.user, pk)
    status = request.GET.get("status", "")
    status = status if status in Registration.Status.values else ""
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="events.registrations", title=_("报名与出席"),
            filename=f"event-{event.pk}-registrations.xlsx", columns=exports.registrations_columns(),
            rows=selectors.registrations_of(event, status=status), target=event,
        )  # fmt: skip
    return render(request, "community/events/registrations.html", {
        "event": event, "figures": selectors.attendance(event, now=timezone.now()), "status": status,
        "statuses": Registration.Status.choices, "querystring": query_without_page(request),
        "page": _page(request, selectors.registrations_of(event, status=status)),
    })  # fmt: skip


@require_POST
def registration_decide(request, pk):
    registration = Registration.objects.filter(pk=pk).select_related("event").first()
    if registration is None or not services.can_manage(request.user, registration.event):
        raise Http404
    action = request.POST.get("action", "")
    done = {"approve": _("已通过"), "reject": _("已拒绝"), "cancel": _("已取消该报名")}
    with flash_outcome(request, success=done.get(action, "")):
        services.registration_transition(
            actor=request.user, registration=registration, action=action, now=timezone.now()
        )
    return redirect("events:registrations", pk=registration.event_id)


def check_in(request, pk):
    """The organiser's phone-friendly door page: scan or paste a QR, see who came in."""
    event = selectors.event_to_manage(request.user, pk)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.registration_check_in(
                actor=request.user, event=event, scanned=form.cleaned_data["scanned"], now=timezone.now()
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            who = f"{done.user}({done.enterprise.name})" if done.enterprise else str(done.user)
            messages.success(request, _("%(who)s 签到成功") % {"who": who})
        return redirect("events:check-in", pk=pk)
    return render(request, "community/events/checkin.html", {
        "event": event, "form": form, "figures": selectors.attendance(event, now=timezone.now()),
    })  # fmt: skip


def survey(request, pk):
    event = selectors.event_for(request.user, pk)
    questions = list(event.survey_questions.all())
    form = SurveyForm(request.POST or None, questions=questions)
    if request.method == "POST":
        form.is_valid()
        try:
            services.survey_answer_submit(actor=request.user, event=event, answers=form.answers(), now=timezone.now())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("感谢您填写问卷"))
            return redirect("events:detail", pk=pk)
    return render(request, "community/events/survey.html", {"event": event, "form": form})


def survey_results(request, pk):
    """The survey's aggregates; while nobody has answered, the organiser may still write its questions."""
    event = selectors.event_to_manage(request.user, pk)
    respondents = selectors.respondents(event)
    form = SurveyQuestionsForm(request.POST or None, initial=SurveyQuestionsForm.initial_for(event))
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_questions_set(
                actor=request.user, event=event, questions=form.cleaned_data["questions"], now=timezone.now()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("问卷已保存"))
            return redirect("events:survey-results", pk=pk)
    return render(request, "community/events/survey_results.html", {
        "event": event, "results": selectors.survey_results(event), "respondents": respondents,
        "form": form if not respondents else None,
    })  # fmt: skip


def event_documents(request, pk):
    """Start a batch of certificates or letters and watch it render; list, download and revoke documents."""
    event = selectors.event_to_manage(request.user, pk)
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="events.documents", title=_("证书与聘书"), filename=f"event-{event.pk}-documents.xlsx",
            columns=exports.documents_columns(), rows=selectors.event_documents(event), target=event,
        )  # fmt: skip
    form = DocumentBatchForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            batch = documents.document_batch_start(
                actor=request.user, event=event, kind=form.cleaned_data["kind"], now=timezone.now(),
                enterprises=form.cleaned_data["enterprises"], people=form.people_list(),
            )  # fmt: skip
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已开始生成 %(n)s 份文书") % {"n": batch.documents.count()})
            return redirect("events:documents", pk=pk)
    return render(request, "community/events/documents.html", {
        "event": event, "form": form, "batches": selectors.document_batches(event),
        "page": _page(request, selectors.event_documents(event)), "querystring": query_without_page(request),
    })  # fmt: skip


def document_download(request, pk):
    """The PDF, for the event's organisers and the recipient enterprise's own users."""
    document = IssuedDocument.objects.select_related("event").filter(pk=pk).first()
    if document is None or not document.file:
        raise Http404
    own = document.enterprise_id and document.enterprise_id == request.user.enterprise_id
    if not (own or services.can_manage(request.user, document.event)):
        raise Http404
    return download(document.file.open("rb"), filename=f"{document.number}.pdf", content_type="application/pdf")


@require_POST
def document_revoke(request, pk):
    document = selectors.document_to_manage(request.user, pk)
    reason = request.POST.get("reason", "")
    with flash_outcome(request, success=_("文书已撤销")):
        documents.document_revoke(actor=request.user, document=document, reason=reason, now=timezone.now())
    return redirect("events:documents", pk=document.event_id)


@login_not_required
def document_verify(request, token):
    """What anybody scanning a document's QR sees: kind, event, date, valid or revoked; a person's name masked."""
    data = selectors.document_public(token)
    response = render(request, "community/events/document_verify.html", {"data": data}, status=200 if data else 404)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


# -- photos ------------------------------------------------------------------------------------------------


def photos(request, pk):
    """The organisers' photo page: the event's photos, upload with a caption, remove."""
    event = selectors.event_to_manage(request.user, pk)
    if request.method == "POST":
        with flash_outcome(request, success=_("照片已上传")):
            photo_services.event_photo_add(
                actor=request.user, event=event, upload=request.FILES.get("photo"),
                caption=request.POST.get("caption", ""), now=timezone.now(),
            )  # fmt: skip
        return redirect("events:photos", pk=pk)
    return render(request, "community/events/photos.html", {"event": event, "photos": event.photos.all()})


@require_POST
def photo_remove(request, pk):
    photo = selectors.photo_to_manage(request.user, pk)
    with flash_outcome(request, success=_("照片已删除")):
        photo_services.event_photo_remove(actor=request.user, photo=photo, now=timezone.now())
    return redirect("events:photos", pk=photo.event_id)


@login_not_required
def photo(request, pk):
    """A photo, inline, to whoever may see its event (published events: everyone)."""
    item = selectors.photo_for(request.user, pk)
    return download(item.image.open("rb"), filename=PurePath(item.image.name).name, inline_image=True)
