"""A talent who withdraws consent (withdraws an application, deletes their account) has their personal data
erased (PIPL art. 15 and 47); an approved, certified recognition keeps only the masked name, level and year."""

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import connection
from django.test import TestCase
from django.urls import reverse

from sanlian.core.erasure import person_erase
from sanlian.core.models import AuditEvent, User
from sanlian.talent.models import ApplicationMaterial, TalentApplication

from .certificate_helpers import certified
from .helpers import IN_2023_WINDOW, filled, move, open_round, talent_user

pytestmark = pytest.mark.django_db


def row(pk) -> dict:
    columns = ("name", "id_number", "id_digest", "phone", "birth_date", "achievements", "education", "career")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM talent_talentapplication WHERE id = %s",
            [pk],  # noqa: S608
        )
        return dict(zip(columns, cursor.fetchone(), strict=True))


def stored_files(application) -> list[str]:
    return [m.file.name for m in ApplicationMaterial.objects.filter(application=application)]


@pytest.fixture
def in_window():
    with time_machine.travel(IN_2023_WINDOW, tick=False):
        yield


@pytest.fixture
def round_2023(district_officer, in_window):
    return open_round(district_officer)


def test_withdrawing_an_application_erases_its_personal_data_and_files(round_2023, pujiang_enterprise):
    talent = talent_user(display_name="张三丰")
    application = filled(round_2023, talent, employer=pujiang_enterprise)
    files = stored_files(application)
    assert files and all(default_storage.exists(name) for name in files)

    with TestCase.captureOnCommitCallbacks(execute=True):
        move(application, talent, "withdraw")

    stored = row(application.pk)
    assert stored["name"] == "张**"
    assert stored["id_number"] is None and stored["phone"] is None and stored["birth_date"] is None
    assert stored["id_digest"] == "" and stored["achievements"] == ""
    assert "复旦" not in str(stored["education"]) and "研发总监" not in str(stored["career"])
    assert not ApplicationMaterial.objects.filter(application=application).exists()
    assert not any(default_storage.exists(name) for name in files)
    logged = AuditEvent.objects.get(action="talent_application.withdraw")
    assert "id_number" in logged.changes["erased"] and "materials" in logged.changes["erased"]
    assert "张三丰" not in str(logged.changes) and "13812345678" not in str(logged.changes)


def test_the_person_may_apply_again_after_withdrawing(round_2023, pujiang_enterprise):
    talent = talent_user()
    move(filled(round_2023, talent, employer=pujiang_enterprise), talent, "withdraw")
    again = filled(round_2023, talent, employer=pujiang_enterprise)
    assert again.id_number and again.status == "draft"


def test_deleting_the_account_deletes_drafts_and_keeps_a_masked_certified_recognition(round_2023, pujiang_enterprise):
    talent = talent_user(display_name="张三丰", phone="13900001111", email="zhang@example.cn")
    draft = filled(round_2023, talent, employer=pujiang_enterprise)
    draft_files = stored_files(draft)
    recognised, certificate = certified(applicant=talent, employer=pujiang_enterprise, year=2022)

    with TestCase.captureOnCommitCallbacks(execute=True):
        counts = person_erase(actor=talent, user=talent)

    assert counts["talent.applications_deleted"] == 1 and counts["talent.applications_erased"] == 1
    assert not TalentApplication.objects.filter(pk=draft.pk).exists()
    assert not any(default_storage.exists(name) for name in draft_files)
    kept = TalentApplication.objects.get(pk=recognised.pk)
    assert (kept.name, kept.level.code, kept.round.year, kept.status) == ("张**", "elite", 2022, "approved")
    assert row(recognised.pk)["id_number"] is None and row(recognised.pk)["phone"] is None
    assert kept.certificate == certificate

    user = User.objects.get(pk=talent.pk)
    assert (user.username, user.email, user.phone, user.display_name) == (f"erased-{talent.pk}", "", None, "张**")
    assert not user.is_active and not user.has_usable_password()
    logged = AuditEvent.objects.get(action="user.erase")
    assert "张三丰" not in str(logged.changes) and "zhang@" not in str(logged.changes)


def test_nobody_else_may_delete_someone_s_account(round_2023, pujiang_officer):
    from django.core.exceptions import PermissionDenied

    talent = talent_user()
    with pytest.raises(PermissionDenied):
        person_erase(actor=pujiang_officer, user=talent)
    assert User.objects.get(pk=talent.pk).is_active


def test_the_account_page_deletes_the_account_after_the_password(client, round_2023, pujiang_enterprise):
    talent = talent_user(display_name="张三丰")
    application = filled(round_2023, talent, employer=pujiang_enterprise)
    client.force_login(talent)

    assert client.get(reverse("account-delete")).status_code == 200
    wrong = client.post(reverse("account-delete"), {"password": "not-it"})
    assert wrong.status_code == 400 and User.objects.get(pk=talent.pk).is_active
    assert TalentApplication.objects.filter(pk=application.pk).exists()

    done = client.post(reverse("account-delete"), {"password": "pw-123456"})
    assert done.status_code == 302 and done.url == reverse("login")
    assert not User.objects.get(pk=talent.pk).is_active
    assert not TalentApplication.objects.filter(pk=application.pk).exists()
    assert client.get(reverse("account-delete")).status_code == 302


def test_an_officer_may_not_delete_their_own_account_and_is_not_offered_it(client, pujiang_officer):
    from django.core.exceptions import ValidationError

    from sanlian.core.erasure import person_erase

    with pytest.raises(ValidationError, match="工作人员账号不能自助注销"):
        person_erase(actor=pujiang_officer, user=pujiang_officer)
    pujiang_officer.refresh_from_db()
    assert pujiang_officer.is_active and pujiang_officer.username == "pj_officer"
    client.force_login(pujiang_officer)
    assert reverse("account-delete") not in client.get(reverse("inbox")).content.decode()


def test_an_erasure_that_fails_part_way_changes_nothing(round_2023, pujiang_enterprise, monkeypatch):
    """All or nothing: the talent eraser has run when a later one fails, and its deletions roll back."""
    from sanlian.core import erasure

    talent = talent_user(display_name="李四", phone="13900002222", email="li@example.cn")
    draft = filled(round_2023, talent, employer=pujiang_enterprise)

    def failing(*, user, now):
        raise RuntimeError("storage unavailable")

    monkeypatch.setitem(erasure._ERASERS, "zz-failing", failing)  # sorted after every app's eraser
    with pytest.raises(RuntimeError):
        person_erase(actor=talent, user=talent)

    assert TalentApplication.objects.filter(pk=draft.pk).exists()
    user = User.objects.get(pk=talent.pk)
    assert (user.username, user.display_name, user.is_active) == (talent.username, "李四", True)
    assert not AuditEvent.objects.filter(action="user.erase").exists()
