"""Event photos: organisers upload images (checked by content), everyone sees them on a published event."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from sanlian.community.models import EventPhoto
from sanlian.community.services import event_photos
from sanlian.community.services import events as services
from tests import factories
from tests.community.event_helpers import NOW, event_data, published_event
from tests.downloads import assert_safe_download

pytestmark = pytest.mark.django_db


def png(name="开幕式.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (12, 90, 140)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_an_organiser_adds_a_photo_that_anyone_sees_on_the_published_event(pujiang_officer):
    event = published_event(pujiang_officer)

    photo = event_photos.event_photo_add(actor=pujiang_officer, event=event, upload=png(), caption="开幕式", now=NOW)

    page = Client().get(reverse("events:detail", args=[event.pk])).content.decode()
    assert reverse("events:photo", args=[photo.pk]) in page and 'alt="开幕式"' in page
    image = Client().get(reverse("events:photo", args=[photo.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert_safe_download(image, inline_type="image/png")


def test_a_pdf_or_a_renamed_file_is_refused_by_content_and_nothing_is_saved(pujiang_officer):
    event = published_event(pujiang_officer)
    pdf = SimpleUploadedFile("照片.png", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    text = SimpleUploadedFile("照片.jpg", "不是图片".encode())

    for upload in (pdf, text):
        with pytest.raises(ValidationError) as refused:
            event_photos.event_photo_add(actor=pujiang_officer, event=event, upload=upload, now=NOW)
        assert "photo" in refused.value.message_dict
    assert not EventPhoto.objects.exists()


def test_an_organiser_of_another_town_or_a_visitor_cannot_add_or_remove(pujiang_officer, xinzhuang_officer, client):
    event = published_event(pujiang_officer)
    photo = event_photos.event_photo_add(actor=pujiang_officer, event=event, upload=png(), now=NOW)

    with pytest.raises(PermissionDenied):
        event_photos.event_photo_add(actor=xinzhuang_officer, event=event, upload=png(), now=NOW)
    client.force_login(xinzhuang_officer)
    assert client.post(reverse("events:photo-remove", args=[photo.pk])).status_code == 404
    assert EventPhoto.objects.count() == 1


def test_a_draft_events_photos_are_404_to_the_public(pujiang_officer):
    draft = services.event_create(actor=pujiang_officer, data=event_data(), sessions=(), now=NOW)
    photo = event_photos.event_photo_add(actor=pujiang_officer, event=draft, upload=png(), now=NOW)

    assert Client().get(reverse("events:photo", args=[photo.pk])).status_code == 404


def test_the_photo_page_uploads_and_removes(client, pujiang_officer):
    event = published_event(pujiang_officer)
    client.force_login(pujiang_officer)

    client.post(reverse("events:photos", args=[event.pk]), {"photo": png(), "caption": "嘉宾合影"})
    photo = EventPhoto.objects.get()
    assert photo.caption == "嘉宾合影"
    client.post(reverse("events:photo-remove", args=[photo.pk]))
    assert not EventPhoto.objects.exists()


def test_a_secretary_of_another_organisation_is_refused(pujiang_officer):
    outsider = factories.org_secretary()
    event = published_event(pujiang_officer)

    with pytest.raises(PermissionDenied):
        event_photos.event_photo_add(actor=outsider, event=event, upload=png(), now=NOW)
