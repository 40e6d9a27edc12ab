"""`sanlian backup` / `sanlian restore`: the restore drill, and the archives a restore refuses.

Runs on the database of the test run: SQLite by default, PostgreSQL (pg_dump / pg_restore) in CI.
"""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from sanlian.core.backup import DB_PARTS, BackupError
from sanlian.core.backup import _run as run_pg_tool
from sanlian.enterprises import services as registry
from sanlian.enterprises.models import AnnualReport, Enterprise
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def site_files(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SANLIAN_IMPORT_DIR = tmp_path / "imports"
    settings.SANLIAN_IMPORT_DIR.mkdir()
    return tmp_path


def backup(folder: Path, *extra) -> Path:
    out = io.StringIO()
    call_command("backup", "--output", str(folder), *extra, stdout=out)
    return Path(out.getvalue().strip())


def restore(archive: Path, *extra):
    out, err = io.StringIO(), io.StringIO()
    call_command("restore", str(archive), *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_restore_drill_brings_back_records_and_files_and_the_site_works(site_files, client):
    officer = factories.officer("pujiang", username="drill_officer")
    enterprise = factories.enterprise("pujiang", name="演练生物医药有限公司")
    admin = factories.enterprise_user(enterprise)
    report = registry.annual_report_save(actor=admin, enterprise=enterprise, year=2024, data=factories.report_data())
    upload = default_storage.save("documents/营业执照.pdf", ContentFile(b"%PDF-1.4 drill"))
    (site_files / "imports" / "waiting.xlsx").write_bytes(b"rows")

    archive = backup(site_files / "backups")
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())

    # Things go wrong: records deleted and changed, a file deleted, another one added.
    AnnualReport.objects.filter(pk=report.pk).update(employees=999)
    factories.enterprise("pujiang", name="备份之后的企业")
    admin.delete()
    Enterprise.objects.filter(pk=enterprise.pk).delete()
    default_storage.delete(upload)
    default_storage.save("documents/stray.txt", ContentFile(b"after the backup"))
    (site_files / "imports" / "waiting.xlsx").unlink()

    out, _err = restore(archive, "--yes")

    assert manifest["engine"] == connection.vendor and set(manifest["parts"]) == {
        DB_PARTS[connection.vendor],
        "media.tar",
        "imports.tar",
    }
    assert manifest["migrations"]["core"].startswith("00")
    assert "已恢复" in out
    assert Enterprise.objects.get(pk=enterprise.pk).name == "演练生物医药有限公司"
    assert enterprise.users.get().username == admin.username
    assert AnnualReport.objects.get(pk=report.pk).employees == report.employees
    assert not Enterprise.objects.filter(name="备份之后的企业").exists()
    assert default_storage.open(upload).read() == b"%PDF-1.4 drill"
    assert not default_storage.exists("documents/stray.txt")
    assert (site_files / "imports" / "waiting.xlsx").read_bytes() == b"rows"
    client.force_login(officer)
    page = client.get(reverse("enterprises:detail", kwargs={"pk": enterprise.pk}))
    assert page.status_code == 200 and "演练生物医药有限公司" in page.content.decode()


def test_a_directory_backup_restores_too_and_restore_without_confirmation_changes_nothing(site_files, monkeypatch):
    enterprise = factories.enterprise("pujiang", name="目录备份企业")
    folder = backup(site_files / "backups", "--directory")
    Enterprise.objects.filter(pk=enterprise.pk).update(name="改过的名字")

    monkeypatch.setattr("sys.stdin", io.StringIO("no\n"))
    with pytest.raises(CommandError) as refused:
        restore(folder)
    unchanged = Enterprise.objects.get(pk=enterprise.pk).name
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))
    restore(folder)

    assert folder.is_dir() and (folder / "manifest.json").exists()
    assert "未确认" in str(refused.value) and unchanged == "改过的名字"
    assert Enterprise.objects.get(pk=enterprise.pk).name == "目录备份企业"


def rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of the archive with one member changed by `change(name, bytes) -> bytes`."""
    with tarfile.open(archive) as src, tarfile.open(target, "w:gz") as dst:
        for member in src.getmembers():
            data = change(member.name, src.extractfile(member).read())
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    return target


def test_restore_refuses_a_corrupt_or_foreign_archive_or_another_engines_before_touching_anything(site_files):
    enterprise = factories.enterprise("pujiang", name="不应被覆盖的企业")
    archive = backup(site_files / "backups")
    db_part = DB_PARTS[connection.vendor]
    corrupt = rewrite(archive, site_files / "corrupt.tar.gz",
                      lambda name, data: data[:-1] + b"x" if name == db_part else data)  # fmt: skip
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def other_engine(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["engine"] = other
        manifest["parts"][DB_PARTS[other]] = manifest["parts"].pop(db_part)
        return json.dumps(manifest).encode()

    def renamed(src, dst_name):
        with tarfile.open(src) as tar:
            members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
        members[DB_PARTS[other]] = members.pop(db_part)
        target = site_files / dst_name
        with tarfile.open(target, "w:gz") as out:
            for name, data in members.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                out.addfile(info, io.BytesIO(data))
        return target

    foreign = renamed(rewrite(archive, site_files / "tmp.tar.gz", other_engine), "foreign.tar.gz")
    not_a_backup = site_files / "notes.tar.gz"
    not_a_backup.write_bytes(b"just some bytes")
    Enterprise.objects.filter(pk=enterprise.pk).update(name="现在的名字")

    errors = {}
    for label, path in [("corrupt", corrupt), ("foreign", foreign), ("junk", not_a_backup),
                        ("missing", site_files / "nope.tar.gz")]:  # fmt: skip
        with pytest.raises(CommandError) as refused:
            restore(path, "--yes")
        errors[label] = str(refused.value)

    assert "校验和不符" in errors["corrupt"] and db_part in errors["corrupt"]
    assert f"来自 {other} 数据库" in errors["foreign"]
    assert "不是有效的备份文件" in errors["junk"]
    assert "不存在" in errors["missing"]
    assert Enterprise.objects.get(pk=enterprise.pk).name == "现在的名字"


def test_without_the_postgresql_tools_backup_and_restore_say_so(site_files, monkeypatch):
    """On PostgreSQL through the commands; on SQLite, whose commands never call the tools, through the runner."""
    if connection.vendor != "postgresql":
        monkeypatch.setenv("PATH", str(site_files))
        for tool in ("pg_dump", "pg_restore"):
            with pytest.raises(BackupError, match=f"找不到 {tool}"):
                run_pg_tool(tool, ["--version"])
        return
    archive = backup(site_files / "backups")
    monkeypatch.setenv("PATH", str(site_files))  # no pg_dump / pg_restore on it

    with pytest.raises(CommandError) as no_dump:
        backup(site_files / "backups")
    with pytest.raises(CommandError) as no_restore:
        restore(archive, "--yes")

    assert "找不到 pg_dump" in str(no_dump.value) and "找不到 pg_restore" in str(no_restore.value)
