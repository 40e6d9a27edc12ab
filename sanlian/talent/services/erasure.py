"""Erasure of a talent's personal data when they withdraw (PIPL art. 15 and 47).

Withdrawing an application withdraws consent to its processing: the ID and phone numbers, birth date,
CV and uploaded files go at once, and the name is reduced to a mask so that counts and the history still
read. Deleting the account (core.erasure.person_erase) erases every application of the person; an
approved one keeps, under the retention rule for published recognitions, the masked name, level and
round year its certificate and benefits (public money paid) point at.
"""

from datetime import datetime

from django.db import transaction

from sanlian.core.masking import mask_name

from ..models import TalentApplication

Status = TalentApplication.Status

# Fields blanked on erasure, with their blank value.
ERASED = {
    "id_number": None,
    "id_digest": "",
    "phone": None,
    "birth_date": None,
    "gender": "",
    "education": [],
    "career": [],
    "achievements": "",
    "titles": [],
    "contract_start_date": None,
    "contract_end_date": None,
    "social_insurance_months": None,
    "tax_record_months": None,
}


def application_erase_personal(application: TalentApplication) -> list[str]:
    """Blank the personal fields of a locked application, mask its name, delete its files after commit.

    The caller holds the row lock and records the audit event; returns the names of the fields erased.
    """
    erased = [name for name, blank in ERASED.items() if getattr(application, name) not in (None, "", blank)]
    for name, blank in ERASED.items():
        setattr(application, name, blank)
    masked = mask_name(application.name)
    if masked != application.name:
        application.name = masked
        erased.append("name")
    materials = list(application.materials.all())
    files = [m.file for m in materials]
    if materials:
        application.materials.all().delete()
        erased.append("materials")
    application.save()
    # Files go only once the rows are gone for good, i.e. after the transaction commits.
    transaction.on_commit(lambda: [f.delete(save=False) for f in files])
    return erased


def talent_erase(*, user, now: datetime) -> dict[str, int]:
    """The eraser of the talent app (registered with core.erasure): every application of `user`."""
    counts = {"applications_erased": 0, "applications_deleted": 0}
    mine = TalentApplication.objects.select_for_update().filter(applicant=user).order_by("pk")
    for application in mine:
        kept = application.status == Status.APPROVED or hasattr(application, "certificate")
        if kept or application.benefits.exists():
            application_erase_personal(application)
            counts["applications_erased"] += 1
        else:
            files = [m.file for m in application.materials.all()]
            application.delete()
            transaction.on_commit(lambda files=files: [f.delete(save=False) for f in files])
            counts["applications_deleted"] += 1
    return counts
