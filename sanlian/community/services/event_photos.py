"""Photos of an event: organisers add and remove them; images only, checked by content and size."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanlian.core.services import audit_record
from sanlian.core.uploads import checked_upload

from ..models import Event, EventPhoto
from .events import require_manage

MAX_PHOTOS = 30
MAX_PHOTO_BYTES = 10 * 1024 * 1024
IMAGE_SUFFIXES = (".png", ".jpg")


@transaction.atomic
def event_photo_add(*, actor, event: Event, upload, caption: str = "", now: datetime) -> EventPhoto:
    require_manage(actor, event)
    event = Event.objects.select_for_update().get(pk=event.pk)  # the photo count below cannot race
    caption = (caption or "").strip()
    if upload is None:
        raise ValidationError({"photo": _("请选择照片")})
    name, _size = checked_upload(upload, field="photo", max_bytes=MAX_PHOTO_BYTES)
    errors = {}
    if not name.endswith(IMAGE_SUFFIXES):
        errors["photo"] = _("照片仅接受 PNG 或 JPG")
    if len(caption) > 100:
        errors["caption"] = _("说明最多 100 个字")
    if event.photos.count() >= MAX_PHOTOS:
        errors["photo"] = _("每个活动最多 %(n)s 张照片") % {"n": MAX_PHOTOS}
    if errors:
        raise ValidationError(errors)
    photo = EventPhoto.objects.create(event=event, image=upload, caption=caption, uploaded_by=actor, uploaded_at=now)
    audit_record(actor=actor, action="event.photo_add", target=photo, changes={"caption": caption}, now=now)
    return photo


@transaction.atomic
def event_photo_remove(*, actor, photo: EventPhoto, now: datetime) -> None:
    require_manage(actor, photo.event)
    audit_record(actor=actor, action="event.photo_remove", target=photo, changes={"caption": photo.caption}, now=now)
    stored = photo.image
    photo.delete()
    transaction.on_commit(lambda: stored.delete(save=False))
