"""Reads of community events: public lists, what a person registered for, what an organiser manages, figures."""

from datetime import datetime

from django.db.models import Avg, Count, F, Q, QuerySet, Value
from django.db.models.functions import Greatest
from django.http import Http404
from django.utils import timezone

from sanlian.core.masking import mask_name
from sanlian.core.models import Role
from sanlian.core.permissions import has_perm, scope_queryset

from .models import Event, EventPhoto, IssuedDocument, Registration, SurveyAnswer, SurveyQuestion
from .services.events import can_manage

VISIBLE = (Event.Status.PUBLISHED, Event.Status.FINISHED, Event.Status.CANCELLED)


def _with_seats(queryset: QuerySet) -> QuerySet:
    seated = Q(registrations__status__in=Registration.SEATED)
    taken = queryset.annotate(seats_taken=Count("registrations", filter=seated))
    return taken.annotate(seats_left=Greatest(F("capacity") - F("seats_taken"), Value(0)))


def public_events(*, when: str, now: datetime) -> QuerySet:
    """Published events for everyone: upcoming soonest first, past most recent first."""
    events = _with_seats(Event.objects.filter(status__in=VISIBLE).select_related("organisation"))
    if when == "past":
        return events.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    return events.filter(ends_at__gte=now).order_by("starts_at", "id")


def managed_events(user) -> QuerySet:
    """Every event the user organises, drafts included: officers by area, secretaries by organisation."""
    if not has_perm(user, "activity.manage"):
        return Event.objects.none()
    if user.role == Role.ORG_SECRETARY:
        events = Event.objects.filter(organisation__secretaries=user)
    else:
        events = scope_queryset(user, Event.objects.all())
    return _with_seats(events.select_related("organisation")).order_by("-starts_at", "-id")


def event_for(user, pk: int) -> Event:
    """An event the user may see: published ones for everyone, drafts only for their organisers (else 404)."""
    event = _with_seats(Event.objects.select_related("organisation", "region")).filter(pk=pk).first()
    if event is None or (event.status not in VISIBLE and not can_manage(user, event)):
        raise Http404
    return event


def event_to_manage(user, pk: int) -> Event:
    event = managed_events(user).filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def my_registration(user, event: Event) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return event.registrations.filter(user=user).order_by("-created_at", "-id").first()


def my_registrations(user) -> QuerySet:
    return Registration.objects.filter(user=user).select_related("event").order_by("-event__starts_at", "-id")


def registration_of(user, pk: int) -> Registration:
    registration = my_registrations(user).filter(pk=pk).first()
    if registration is None:
        raise Http404
    return registration


def registrations_of(event: Event, *, status: str = "") -> QuerySet:
    rows = event.registrations.select_related("user", "enterprise").order_by("status", "waitlist_position", "id")
    return rows.filter(status=status) if status else rows


def attendance(event: Event, *, now: datetime | None = None) -> dict:
    """Registered / approved / pending / waitlisted / checked in / no-show, in one aggregate query.

    Before the event starts (`now` given and earlier) nobody is a no-show yet.
    """
    S = Registration.Status
    figures = event.registrations.aggregate(
        registered=Count("id", filter=~Q(status__in=[S.CANCELLED, S.REJECTED])),
        approved=Count("id", filter=Q(status=S.APPROVED)),
        pending=Count("id", filter=Q(status=S.PENDING)),
        waitlisted=Count("id", filter=Q(status=S.WAITLISTED)),
        checked_in=Count("id", filter=Q(checked_in_at__isnull=False)),
    )
    started = now is None or now >= event.starts_at
    figures["no_show"] = figures["approved"] - figures["checked_in"] if started else None
    figures["rate"] = round(100 * figures["checked_in"] / figures["approved"]) if figures["approved"] else None
    return figures


def survey_results(event: Event) -> list[dict]:
    """Per question: ratings' average and distribution, choices' counts, the latest texts."""
    results = []
    for question in event.survey_questions.all():
        answers = SurveyAnswer.objects.filter(question=question)
        row = {"question": question, "count": answers.count()}
        if question.kind == SurveyQuestion.Kind.RATING:
            row["average"] = answers.aggregate(a=Avg("rating"))["a"]
            counts = dict(answers.values_list("rating").annotate(n=Count("id")))
            row["distribution"] = [(score, counts.get(score, 0)) for score in range(5, 0, -1)]
        elif question.kind == SurveyQuestion.Kind.CHOICE:
            counts = dict(answers.values_list("value").annotate(n=Count("id")))
            row["distribution"] = [(choice, counts.get(choice, 0)) for choice in question.choices]
        else:
            row["texts"] = list(answers.exclude(value="").order_by("-id").values_list("value", flat=True)[:50])
        results.append(row)
    return results


def respondents(event: Event) -> int:
    return event.registrations.filter(survey_answers__isnull=False).distinct().count()


def event_documents(event: Event) -> QuerySet:
    return event.documents.select_related("enterprise").order_by("number")


def document_batches(event: Event) -> list[dict]:
    """Each batch with its progress: documents drawn out of all."""
    batches = event.document_batches.annotate(
        total=Count("documents"), drawn=Count("documents", filter=~Q(documents__file=""))
    ).order_by("-created_at", "-id")
    return list(batches)


def document_to_manage(user, pk: int) -> IssuedDocument:
    document = IssuedDocument.objects.select_related("event", "enterprise").filter(pk=pk).first()
    if document is None or not can_manage(user, document.event):
        raise Http404
    return document


def document_public(token: str) -> dict | None:
    """What the public verification page may show: a person's name masked, an enterprise's in full."""
    document = (
        IssuedDocument.objects.select_related("event", "enterprise").filter(token=token).first() if token else None
    )
    if document is None:
        return None
    return {
        "recipient": document.enterprise.name if document.enterprise_id else mask_name(document.person_name),
        "kind": document.get_kind_display(),
        "number": document.number,
        "event": document.event.title,
        "issued_date": timezone.localdate(document.issued_at),
        "status": "revoked" if document.revoked_at else "valid",
        "revoked_date": timezone.localdate(document.revoked_at) if document.revoked_at else None,
    }


def photo_for(user, pk: int) -> EventPhoto:
    """A photo of an event the user may see (404 otherwise)."""
    photo = EventPhoto.objects.select_related("event").filter(pk=pk).first()
    if photo is None:
        raise Http404
    event_for(user, photo.event_id)
    return photo


def photo_to_manage(user, pk: int) -> EventPhoto:
    photo = EventPhoto.objects.filter(pk=pk, event__in=managed_events(user)).select_related("event").first()
    if photo is None:
        raise Http404
    return photo
