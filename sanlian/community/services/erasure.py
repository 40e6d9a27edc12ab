"""Erasure of a person's data in the community app when they withdraw (PIPL art. 15 and 47).

A person member who leaves, an applicant who withdraws a join application, and a user who deletes their
account: the mobile and job title are blanked and the name reduced to a mask; the rows stay so that the
organisation's membership history and counts still read. Event registrations carry no personal field
but the user link; on account deletion the live ones are cancelled (which frees their seats).
"""

from datetime import datetime

from django.utils import timezone

from sanlian.core.masking import mask_name

from ..models import JoinApplication, Member, Registration


def _erase_person_fields(row, extra: tuple[str, ...] = ()) -> list[str]:
    erased = [name for name in ("mobile", "person_title", *extra) if getattr(row, name)]
    row.mobile, row.person_title = None, ""
    for name in extra:
        setattr(row, name, "")
    if row.person_name:
        masked = mask_name(row.person_name)
        if masked != row.person_name:
            row.person_name = masked
            erased.append("person_name")
    return erased


def member_erase_personal(member: Member) -> list[str]:
    """Blank a locked, departed member's personal fields (saved here); the names of the fields erased."""
    erased = _erase_person_fields(member)
    member.save(update_fields=["mobile", "person_title", "person_name"])
    return erased


def join_application_erase_personal(application: JoinApplication) -> list[str]:
    """Blank a locked join application's personal fields and statement (saved here)."""
    erased = _erase_person_fields(application, extra=("statement",))
    application.save(update_fields=["mobile", "person_title", "person_name", "statement"])
    return erased


def community_erase(*, user, now: datetime) -> dict[str, int]:
    """The eraser of the community app (registered with core.erasure)."""
    from .events import registration_transition

    counts = {"members": 0, "join_applications": 0, "registrations_cancelled": 0}
    for member in Member.objects.select_for_update().filter(user=user, kind=Member.Kind.PERSON):
        if member.left_date is None:
            member.left_date = max(timezone.localdate(now), member.joined_date)
            member.save(update_fields=["left_date"])
        member_erase_personal(member)
        counts["members"] += 1
    # An enterprise member is the enterprise's, not the person's: only the link to the user goes.
    Member.objects.filter(user=user, kind=Member.Kind.ENTERPRISE).update(user=None)
    for application in JoinApplication.objects.select_for_update().filter(applicant=user):
        if application.status == JoinApplication.Status.PENDING:
            application.status, application.decided_at = JoinApplication.Status.WITHDRAWN, now
            application.save(update_fields=["status", "decided_at"])
        join_application_erase_personal(application)
        counts["join_applications"] += 1
    live = Registration.objects.filter(user=user, status__in=Registration.LIVE, checked_in_at__isnull=True)
    for registration in live:
        registration_transition(actor=user, registration=registration, action="cancel", now=now)
        counts["registrations_cancelled"] += 1
    return counts
