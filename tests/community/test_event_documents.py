"""Certificates and letters issued at an event: a batch job renders verifiable PDFs, idempotently; revocable."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sanlian.community.models import DocumentBatch, IssuedDocument
from sanlian.community.services import event_documents as services
from tests import factories
from tests.downloads import assert_safe_download

from .event_helpers import NOW, published_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(pujiang_officer):
    return published_event(pujiang_officer, title="人才周开幕式")


def start(actor, event, django_capture_on_commit_callbacks, **recipients):
    kind = "quality_enterprise" if "enterprises" in recipients else "ambassador"
    with django_capture_on_commit_callbacks(execute=True):
        return services.document_batch_start(actor=actor, event=event, kind=kind, now=NOW, **recipients)


def test_a_batch_of_enterprise_certificates_renders_pdfs_with_numbers_after_commit(
    pujiang_officer, event, pujiang_enterprise, django_capture_on_commit_callbacks
):
    other = factories.enterprise(name="演示生物科技有限公司")

    batch = start(pujiang_officer, event, django_capture_on_commit_callbacks, enterprises=[pujiang_enterprise, other])

    documents = list(batch.documents.order_by("number"))
    assert [d.number for d in documents] == ["PJ2026-QE-0001", "PJ2026-QE-0002"]
    assert all(d.file.read(5) == b"%PDF-" for d in documents)
    batch.refresh_from_db()
    assert batch.finished_at is not None


def test_rendering_twice_draws_nothing_more_and_keeps_the_files(
    pujiang_officer, event, pujiang_enterprise, django_capture_on_commit_callbacks
):
    batch = start(pujiang_officer, event, django_capture_on_commit_callbacks, enterprises=[pujiang_enterprise])
    before = IssuedDocument.objects.get().file.name

    again = services.document_batch_render(batch_id=batch.pk, now=NOW)

    assert again == 0
    assert IssuedDocument.objects.get().file.name == before


def test_a_recipient_already_holding_the_document_is_skipped_and_an_empty_batch_refused(
    pujiang_officer, event, pujiang_enterprise, django_capture_on_commit_callbacks
):
    start(pujiang_officer, event, django_capture_on_commit_callbacks, enterprises=[pujiang_enterprise])

    with pytest.raises(ValidationError) as refused:
        start(pujiang_officer, event, django_capture_on_commit_callbacks, enterprises=[pujiang_enterprise])

    assert "recipients" in refused.value.message_dict
    assert DocumentBatch.objects.count() == IssuedDocument.objects.count() == 1


def test_the_public_page_verifies_a_letter_with_the_persons_name_masked_then_shows_it_revoked(
    client, pujiang_officer, event, django_capture_on_commit_callbacks
):
    start(pujiang_officer, event, django_capture_on_commit_callbacks, people=["高思远"])
    letter = IssuedDocument.objects.get()
    url = reverse("events:document-verify", args=[letter.token])

    valid = client.get(url).content.decode()
    services.document_revoke(actor=pujiang_officer, document=letter, reason="聘期调整", now=NOW)
    revoked = client.get(url).content.decode()

    assert "高**" in valid and "高思远" not in valid and "有效" in valid and "全球引才大使聘书" in valid
    assert "已撤销" in revoked
    assert client.get(reverse("events:document-verify", args=["nope"])).status_code == 404


def test_an_enterprise_certificate_shows_the_enterprise_name_in_full(
    client, pujiang_officer, event, pujiang_enterprise, django_capture_on_commit_callbacks
):
    start(pujiang_officer, event, django_capture_on_commit_callbacks, enterprises=[pujiang_enterprise])
    token = IssuedDocument.objects.get().token

    assert pujiang_enterprise.name in client.get(reverse("events:document-verify", args=[token])).content.decode()


def test_revoking_needs_a_reason_and_an_organiser(
    pujiang_officer, xinzhuang_officer, event, django_capture_on_commit_callbacks
):
    start(pujiang_officer, event, django_capture_on_commit_callbacks, people=["陈嘉怡"])
    letter = IssuedDocument.objects.get()

    with pytest.raises(ValidationError, match="请填写撤销原因"):
        services.document_revoke(actor=pujiang_officer, document=letter, reason=" ", now=NOW)
    with pytest.raises(PermissionDenied):
        services.document_revoke(actor=xinzhuang_officer, document=letter, reason="x", now=NOW)

    letter.refresh_from_db()
    assert letter.revoked_at is None


def test_the_pdf_is_for_organisers_and_the_recipient_enterprise_only(
    client, pujiang_officer, event, pujiang_enterprise, enterprise_admin, xinzhuang_enterprise,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    start(pujiang_officer, event, django_capture_on_commit_callbacks, enterprises=[pujiang_enterprise])
    url = reverse("events:document-pdf", args=[IssuedDocument.objects.get().pk])

    client.force_login(enterprise_admin)
    assert_safe_download(client.get(url))
    client.force_login(factories.enterprise_user(xinzhuang_enterprise))
    assert client.get(url).status_code == 404


def test_the_documents_page_starts_a_batch_and_shows_its_progress(
    client, pujiang_officer, event, django_capture_on_commit_callbacks
):
    client.force_login(pujiang_officer)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:documents", args=[event.pk]), {"kind": "attendance", "people": "王晓明\n李佳怡"})
    page = client.get(reverse("events:documents", args=[event.pk])).content.decode()

    assert "2 / 2" in page and "PJ2026-AT-0002" in page
