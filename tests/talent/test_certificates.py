"""Talent certificates: numbering, issue once, the PDF and its QR code, revocation, public verification."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sanlian.core.masking import mask_name
from sanlian.core.models import AuditEvent, Notification
from sanlian.talent import certificate_selectors, documents
from sanlian.talent.models import Certificate, TalentApplication
from sanlian.talent.services import certificates as services
from tests import factories
from tests.downloads import assert_safe_download

from .certificate_helpers import HOLDER, ID_NUMBER, NOW, approved_application, certified, talent_user

pytestmark = pytest.mark.django_db


# Issuing ----------------------------------------------------------------------------------------------------


class TestIssue:
    def test_numbers_count_up_within_a_year_and_start_again_for_the_next(self):
        # given approved applications in 2023 and one in 2024
        first, second = approved_application(), approved_application()
        later = approved_application(year=2024)

        # when their certificates are issued
        numbers = [
            services.certificate_issue(actor=None, application=a, now=NOW).number for a in (first, second, later)
        ]

        # then each year has its own serial
        assert numbers == ["CS2023-00001", "CS2023-00002", "CS2024-00001"]

    def test_issuing_twice_returns_the_same_certificate_without_a_second_audit_or_notice(self):
        application, certificate = certified()
        audits, notices = AuditEvent.objects.count(), Notification.objects.count()

        again = services.certificate_issue(actor=None, application=application, now=NOW)

        assert again.pk == certificate.pk and again.number == certificate.number
        assert Certificate.objects.filter(application=application).count() == 1
        assert (AuditEvent.objects.count(), Notification.objects.count()) == (audits, notices)

    def test_a_number_taken_meanwhile_makes_the_issue_take_the_next_one(self, monkeypatch):
        # given certificate 00001 exists, and a stale read of the year's last number (a concurrent approval)
        certified()
        stale = iter([None])
        real = services.certificate_last_number
        monkeypatch.setattr(services, "certificate_last_number", lambda prefix: next(stale, real(prefix)))

        # when another certificate is issued
        certificate = services.certificate_issue(actor=None, application=approved_application(), now=NOW)

        # then the unique number refused 00001 and the retry took 00002
        assert certificate.number == "CS2023-00002"

    @pytest.mark.parametrize("status", ["notice", "rejected", "withdrawn", "district_review"])
    def test_only_an_approved_application_gets_a_certificate(self, status):
        application = approved_application()
        TalentApplication.objects.filter(pk=application.pk).update(status=status)

        with pytest.raises(ValidationError) as caught:
            services.certificate_issue(actor=None, application=application, now=NOW)

        assert "status" in caught.value.message_dict
        assert not Certificate.objects.exists() and not AuditEvent.objects.filter(action="certificate.issue").exists()

    def test_the_token_is_url_safe_unique_and_fits_its_column(self):
        tokens = {certified()[1].token for _ in range(5)}

        assert len(tokens) == 5
        assert all(16 <= len(t) <= 32 and t.replace("-", "").replace("_", "").isalnum() for t in tokens)

    def test_the_talent_and_the_employers_active_users_are_told_with_a_link_and_it_is_audited(self):
        employer = factories.enterprise("pujiang")
        hr = factories.enterprise_user(employer)
        gone = factories.enterprise_user(employer, is_active=False)
        talent = talent_user()

        application, certificate = certified(employer=employer, applicant=talent)

        link = reverse("talent:certificate", kwargs={"pk": certificate.pk})
        told = Notification.objects.filter(url=link)
        assert set(told.values_list("recipient", flat=True)) == {talent.pk, hr.pk}
        assert not Notification.objects.filter(recipient=gone).exists()
        assert certificate.number in told.first().title
        event = AuditEvent.objects.get(action="certificate.issue")
        assert event.target_id == str(certificate.pk) and event.enterprise_id == employer.pk

    def test_an_application_filed_by_hr_without_a_talent_account_still_gets_its_certificate(self):
        application, certificate = certified(applicant=False)

        assert application.applicant is None and certificate.number == "CS2023-00001"


# The PDF ----------------------------------------------------------------------------------------------------


class TestPdf:
    def test_the_pdf_is_a_pdf(self):
        _application, certificate = certified()

        content = services.certificate_pdf(certificate=certificate, verify_url=documents.verify_url(certificate.token))

        assert content.startswith(b"%PDF") and content.rstrip().endswith(b"%%EOF")

    def test_the_certificate_says_who_what_where_when_and_by_whom_with_the_full_name(self):
        _application, certificate = certified()

        content = documents.certificate_content(certificate, "https://example.cn/verify/x/")

        values = dict(content.rows)
        assert content.heading == "2023年闵行区春申金字塔人才" and content.title == "人才证书"
        assert values["姓名"] == HOLDER and HOLDER in content.statement
        assert values["人才层次"] == "精英人才" and values["人才类型"] == "技术"
        assert values["用人单位"] == certificate.application.employer.name
        assert values["认定年度"] == "2023" and values["证书编号"] == "CS2023-00001"
        assert values["颁发日期"] == "2023年9月1日" == content.issued_date
        assert content.issuer == "中共闵行区委人才工作领导小组办公室"
        assert content.qr_caption == "扫码核验"

    def test_the_qr_code_drawn_encodes_exactly_the_verification_address(self, monkeypatch):
        # given a recorder in place of the QR drawing
        _application, certificate = certified()
        url = documents.verify_url(certificate.token)
        encoded = []
        real = documents.pdf.qr_code
        monkeypatch.setattr(
            documents.pdf, "qr_code", lambda canvas, data, *a: (encoded.append(data), real(canvas, data, *a))
        )

        # when the PDF is made
        services.certificate_pdf(certificate=certificate, verify_url=url)

        # then one QR code was drawn, carrying the public verification address
        assert encoded == [url]
        assert url.endswith(f"/verify/{certificate.token}/")

    def test_the_verification_address_is_the_platforms_public_one(self, settings):
        settings.SANLIAN_BASE_URL = "https://sanlian.minhang.gov.cn"

        assert documents.verify_url("abc") == "https://sanlian.minhang.gov.cn/verify/abc/"

    def test_a_type_the_round_does_not_name_is_left_out(self):
        application, certificate = certified()
        TalentApplication.objects.filter(pk=application.pk).update(talent_type="unknown")
        certificate.refresh_from_db()

        labels = [label for label, _value in documents.certificate_content(certificate, "u").rows]

        assert "人才类型" not in labels and "人才层次" in labels


# Revocation -------------------------------------------------------------------------------------------------


class TestRevoke:
    def test_a_district_officer_revokes_with_a_reason_and_it_is_audited(self, district_officer):
        _application, certificate = certified()

        services.certificate_revoke(actor=district_officer, certificate=certificate, reason=" 材料造假 ", now=NOW)

        certificate.refresh_from_db()
        assert certificate.revoked_at == NOW and certificate.revoked_reason == "材料造假"
        assert AuditEvent.objects.get(action="certificate.revoke").note == "材料造假"

    def test_a_revocation_without_a_reason_is_refused_and_nothing_changes(self, district_officer):
        _application, certificate = certified()

        with pytest.raises(ValidationError) as caught:
            services.certificate_revoke(actor=district_officer, certificate=certificate, reason="  ", now=NOW)

        assert "reason" in caught.value.message_dict
        certificate.refresh_from_db()
        assert certificate.revoked_at is None and not AuditEvent.objects.filter(action="certificate.revoke").exists()

    def test_a_certificate_cannot_be_revoked_twice(self, district_officer):
        _application, certificate = certified()
        services.certificate_revoke(actor=district_officer, certificate=certificate, reason="材料造假", now=NOW)

        with pytest.raises(ValidationError) as caught:
            services.certificate_revoke(actor=district_officer, certificate=certificate, reason="再次撤销", now=NOW)

        assert "reason" in caught.value.message_dict
        certificate.refresh_from_db()
        assert (
            certificate.revoked_reason == "材料造假"
            and AuditEvent.objects.filter(action="certificate.revoke").count() == 1
        )

    @pytest.mark.parametrize("who", ["town_officer", "employer_hr", "talent"])
    def test_nobody_but_a_district_officer_may_revoke(self, who, pujiang_officer):
        application, certificate = certified()
        actor = {
            "town_officer": pujiang_officer,
            "employer_hr": factories.enterprise_user(application.employer),
            "talent": application.applicant,
        }[who]

        with pytest.raises(PermissionDenied):
            services.certificate_revoke(actor=actor, certificate=certificate, reason="无权撤销", now=NOW)

        certificate.refresh_from_db()
        assert certificate.revoked_at is None


# Public verification ------------------------------------------------------------------------------------------


class TestVerify:
    def test_anybody_sees_the_masked_name_level_year_and_valid_and_nothing_else(self, client):
        application, certificate = certified()

        response = client.get(reverse("certificate-verify", kwargs={"token": certificate.token}))

        html = response.content.decode()
        assert response.status_code == 200
        assert mask_name(HOLDER) in html and "精英人才" in html and "2023" in html and "有效" in html
        assert HOLDER not in html
        assert ID_NUMBER not in html and ID_NUMBER[-4:] not in html
        assert application.employer.name not in html and certificate.number not in html
        assert response["X-Robots-Tag"].startswith("noindex")

    def test_the_public_answer_holds_only_the_masked_name_level_year_and_status(self):
        _application, certificate = certified()

        answer = certificate_selectors.certificate_public(certificate.token)

        assert answer == {
            "masked_name": mask_name(HOLDER),
            "level": "精英人才",
            "year": 2023,
            "status": "valid",
            "revoked_date": None,
        }

    def test_a_revoked_certificate_shows_as_revoked(self, client, district_officer):
        _application, certificate = certified()
        services.certificate_revoke(actor=district_officer, certificate=certificate, reason="材料造假", now=NOW)

        html = client.get(reverse("certificate-verify", kwargs={"token": certificate.token})).content.decode()

        assert "已撤销" in html and "有效" not in html and "材料造假" not in html

    def test_an_unknown_token_is_a_clear_404(self, client):
        certified()

        response = client.get(reverse("certificate-verify", kwargs={"token": "no-such-token"}))

        assert response.status_code == 404 and "未找到该证书" in response.content.decode()


# Pages and downloads --------------------------------------------------------------------------------------------


def _pdf(client, user, certificate):
    client.force_login(user)
    return client.get(reverse("talent:certificate-pdf", kwargs={"pk": certificate.pk}))


class TestDownload:
    def test_the_holder_downloads_the_pdf_as_an_attachment(self, client):
        application, certificate = certified()

        response = _pdf(client, application.applicant, certificate)

        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="CS2023-00001.pdf"'
        assert_safe_download(response)
        assert response.content.startswith(b"%PDF")

    def test_the_employers_hr_and_the_towns_officer_download_it_too(self, client, pujiang_officer):
        application, certificate = certified()

        assert _pdf(client, factories.enterprise_user(application.employer), certificate).status_code == 200
        assert _pdf(client, pujiang_officer, certificate).status_code == 200

    def test_another_enterprises_user_an_unrelated_talent_and_another_towns_officer_get_404(
        self, client, xinzhuang_enterprise, xinzhuang_officer
    ):
        _application, certificate = certified()

        for stranger in (factories.enterprise_user(xinzhuang_enterprise), talent_user(), xinzhuang_officer):
            assert _pdf(client, stranger, certificate).status_code == 404

    def test_a_visitor_is_sent_to_log_in(self, client):
        _application, certificate = certified()

        response = client.get(reverse("talent:certificate-pdf", kwargs={"pk": certificate.pk}))

        assert response.status_code == 302 and reverse("login") in response["Location"]

    def test_a_revoked_certificate_is_no_longer_downloadable(self, client, district_officer):
        application, certificate = certified()
        services.certificate_revoke(actor=district_officer, certificate=certificate, reason="材料造假", now=NOW)

        response = _pdf(client, application.applicant, certificate)

        assert response.status_code == 302 and response["Location"] == reverse(
            "talent:certificate", kwargs={"pk": certificate.pk}
        )


class TestPages:
    def test_a_talent_lists_only_his_own_certificates(self, client):
        mine_application, mine = certified()
        _other_application, other = certified(name="李四")
        client.force_login(mine_application.applicant)

        html = client.get(reverse("talent:certificates")).content.decode()

        assert mine.number in html and other.number not in html

    def test_the_detail_page_shows_the_certificate_the_download_and_the_verification_address(self, client):
        application, certificate = certified()
        client.force_login(application.applicant)

        html = client.get(reverse("talent:certificate", kwargs={"pk": certificate.pk})).content.decode()

        assert HOLDER in html and certificate.number in html
        assert "购房补贴 ≤ 500,000.00 元 · 租房补贴 ≤ 5,000.00 元/月 · 子女入学" in html
        assert reverse("talent:certificate-pdf", kwargs={"pk": certificate.pk}) in html
        assert documents.verify_url(certificate.token) in html
        assert reverse("talent:certificate-revoke", kwargs={"pk": certificate.pk}) not in html
        assert reverse("talent:benefit-request", kwargs={"pk": application.pk}) in html

    def test_a_district_officer_revokes_from_the_form(self, client, district_officer):
        _application, certificate = certified()
        client.force_login(district_officer)
        url = reverse("talent:certificate-revoke", kwargs={"pk": certificate.pk})
        assert "撤销原因" in client.get(url).content.decode()

        response = client.post(url, {"reason": "材料造假"})

        assert response.status_code == 302
        certificate.refresh_from_db()
        assert certificate.revoked_reason == "材料造假"

    def test_the_revoke_form_without_a_reason_says_so_and_changes_nothing(self, client, district_officer):
        _application, certificate = certified()
        client.force_login(district_officer)

        response = client.post(reverse("talent:certificate-revoke", kwargs={"pk": certificate.pk}), {"reason": ""})

        assert response.status_code == 400
        certificate.refresh_from_db()
        assert certificate.revoked_at is None

    def test_a_town_officer_may_not_open_the_revoke_form(self, client, pujiang_officer):
        _application, certificate = certified()
        client.force_login(pujiang_officer)

        response = client.post(reverse("talent:certificate-revoke", kwargs={"pk": certificate.pk}), {"reason": "x"})

        assert response.status_code == 403
        certificate.refresh_from_db()
        assert certificate.revoked_at is None
