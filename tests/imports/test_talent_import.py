"""Importing a past round's recognised talents: approved applications with certificates, upsert by (round,
ID number), the application form's rules, masked personal data, scope, partial, history, CLI and pages."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from stdnum.cn import ric

from sanlian.core.models import AuditEvent, Role
from sanlian.enterprises.models import Region
from sanlian.imports.engine import run_import
from sanlian.imports.talent_kind import TalentImporter
from sanlian.talent.models import Certificate, TalentApplication
from sanlian.talent.services.applications import id_digest
from tests import factories
from tests.talent.certificate_helpers import level, programme_round

from .helpers import xlsx

pytestmark = pytest.mark.django_db
HEADER = ["身份证号", "年度", "人才层次", "姓名", "用人单位统一社会信用代码", "手机号"]


def id_number(serial: int, birth: str = "19900101") -> str:
    body = f"310112{birth}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def run(actor, rows, **options):
    return run_import(TalentImporter(), actor=actor, data=xlsx([HEADER, *rows]), filename="t.xlsx", **options)


@pytest.fixture
def round_2024(db):
    round_ = programme_round(2024)
    level(round_, "elite", name="精英人才")
    level(round_, "youth", name="青年英才")
    return round_


@pytest.fixture
def employer(db):
    return factories.enterprise("pujiang")


def test_a_roster_becomes_approved_applications_with_certificates_and_importing_it_again_changes_nothing(
    district_officer, round_2024, employer
):
    rows = [[id_number(11), 2024, "精英人才", "张三", employer.uscc, "13800138000"],
            [id_number(12), 2024, "youth", "李四", employer.uscc, ""]]  # fmt: skip

    first = run(district_officer, rows)
    second = run(district_officer, rows)

    assert (first.created, first.rejected, second.unchanged, second.created) == (2, 0, 2, 0), first.errors
    zhang = TalentApplication.objects.get(name="张三")
    assert (zhang.status, zhang.level.code, zhang.gender, zhang.phone) == ("approved", "elite", "male", "13800138000")
    assert zhang.id_number == id_number(11) and str(zhang.birth_date) == "1990-01-01"
    assert sorted(Certificate.objects.values_list("number", flat=True)) == ["CS2024-00001", "CS2024-00002"]
    actions = AuditEvent.objects.filter(target_id=str(zhang.pk), target_type="talent.talentapplication")
    assert sorted(actions.values_list("action", flat=True)) == ["talent_application.approve",
                                                                 "talent_application.create"]  # fmt: skip


def test_a_changed_row_updates_the_approved_application_and_its_history_names_only_the_fields(
    district_officer, round_2024, employer
):
    run(district_officer, [[id_number(11), 2024, "精英人才", "张三", employer.uscc, "13800138000"]])

    report = run(district_officer, [[id_number(11), 2024, "青年英才", "张三", employer.uscc, "13900139000"]])

    application = TalentApplication.objects.get()
    assert report.updated == 1 and (application.level.code, application.phone) == ("youth", "13900139000")
    event = AuditEvent.objects.get(action="talent_application.save", target_id=str(application.pk))
    assert event.changes == {"fields": ["level", "phone"]} and "13900139000" not in json.dumps(event.changes)
    assert Certificate.objects.count() == 1


def test_bad_rows_are_rejected_with_masked_id_numbers_and_only_valid_rows_are_written_with_partial(
    district_officer, round_2024, employer
):
    bad_id = id_number(13)[:-1] + ("0" if id_number(13)[-1] != "0" else "1")
    rows = [[id_number(11), 2024, "精英人才", "张三", employer.uscc, ""],
            [bad_id, 2024, "精英人才", "王五", employer.uscc, ""],
            [id_number(14), 2024, "不存在层次", "赵六", employer.uscc, ""],
            [id_number(15), 2019, "精英人才", "钱七", employer.uscc, ""],
            [id_number(16), 2024, "精英人才", "孙八", employer.uscc, "123"],
            [id_number(11), 2024, "精英人才", "张三", employer.uscc, ""]]  # fmt: skip

    strict = run(district_officer, rows)
    assert (strict.applied, strict.rejected, TalentApplication.objects.exists()) == (False, 5, False)
    partial = run(district_officer, rows, partial=True)

    errors = {e.row: e for e in partial.errors}
    assert (partial.applied, partial.created) == (True, 1)
    assert errors[3].column == "身份证号" and errors[3].value == bad_id[:6] + "********" + bad_id[-4:]
    assert (errors[4].column, errors[5].column, errors[6].column) == ("人才层次", "年度", "手机号")
    assert errors[7].column == "身份证号" and "第 2 行" in errors[7].reason and id_number(11) not in errors[7].value


def test_an_employer_outside_the_officers_district_or_a_person_still_in_review_is_rejected(
    district_officer, round_2024, employer
):
    city = factories.region("minhang").parent
    other = Region.objects.create(code="xuhui-test", name="徐汇区", level=Region.Level.DISTRICT, parent=city)
    outsider = factories.UserFactory(role=Role.DISTRICT_OFFICER, region=other)
    TalentApplication.objects.create(round=round_2024, level=round_2024.levels.first(), employer=employer,
                                     name="周九", id_number=id_number(17), status="district_review",
                                     created_at=round_2024.created_at, updated_at=round_2024.created_at,
                                     id_digest=id_digest(id_number(17)))  # fmt: skip

    scope = run(outsider, [[id_number(11), 2024, "精英人才", "张三", employer.uscc, ""]])
    in_review = run(district_officer, [[id_number(17), 2024, "精英人才", "周九", employer.uscc, ""]])

    assert (
        scope.rejected == 1 and employer.name not in scope.errors[0].reason and employer.uscc in scope.errors[0].reason
    )
    assert in_review.rejected == 1 and "区级评审中" in in_review.errors[0].reason
    assert TalentApplication.objects.count() == 1


def test_a_town_officer_may_not_import_talents_nor_is_offered_the_kind(client, pujiang_officer, round_2024):
    with pytest.raises(PermissionDenied):
        run(pujiang_officer, [])
    client.force_login(pujiang_officer)

    page = client.get(reverse("imports:start")).content.decode()

    assert 'value="talents"' not in page and 'value="space-listings"' in page


def test_the_district_officer_finds_the_import_from_the_talent_pages(client, district_officer):
    client.force_login(district_officer)

    rounds = client.get(reverse("talent:rounds")).content.decode()
    page = client.get(reverse("imports:start") + "?kind=talents").content.decode()

    assert "?kind=talents" in rounds and '<option value="talents" selected>' in page


def test_sanlian_import_talents_prints_json_with_masked_numbers(round_2024, employer, tmp_path, capsys):
    path = tmp_path / "t.xlsx"
    path.write_bytes(xlsx([HEADER, [id_number(11), 2024, "精英人才", "张三", employer.uscc, "13800138000"],
                           [id_number(12), 2024, "精英人才", "李四", employer.uscc, "1380013800"]]))  # fmt: skip

    with pytest.raises(SystemExit) as exit_info:
        call_command("import", "talents", str(path), "--json", "--partial")

    result = json.loads(capsys.readouterr().out)
    assert exit_info.value.code == 1 and (result["created"], result["rejected"]) == (1, 1)
    assert result["errors"][0] | {"reason": ""} == {"row": 3, "column": "手机号", "value": "138***3800", "reason": ""}
    assert Certificate.objects.get().application.name == "张三"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # views queue the job through the outbox, on commit
def test_the_district_officer_dry_runs_and_confirms_a_roster_on_the_pages_with_masked_errors(
    client, district_officer, round_2024, employer
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanlian.imports.models import ImportJob

    client.force_login(district_officer)
    rows = [[id_number(11), 2024, "精英人才", "张三", employer.uscc, ""],
            ["310112199001010019", 2024, "精英人才", "王五", employer.uscc, ""]]  # fmt: skip
    upload = SimpleUploadedFile("名单.xlsx", xlsx([HEADER, *rows]))

    client.post(reverse("imports:start"), {"kind": "talents", "file": upload})
    dry = ImportJob.objects.get()
    page = client.get(reverse("imports:job", args=[dry.pk])).content.decode()
    client.post(reverse("imports:confirm", args=[dry.pk]), {"partial": "on"})

    assert (dry.created, dry.rejected) == (1, 1) and "310112********0019" in page and "310112199001010019" not in page
    assert ImportJob.objects.get(dry_run=False).applied
    assert Certificate.objects.get().application.name == "张三"
