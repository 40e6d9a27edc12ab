"""Writes of the import module: queue a job for an uploaded file, run it, save a column mapping.

The file is kept under settings.SANLIAN_IMPORT_DIR (outside the web root) until the job has run; the
job's progress and outcome are on the ImportJob row, which the progress page polls.
"""

import uuid
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanlian.core.forms import error_text
from sanlian.core.locks import lock_row
from sanlian.core.permissions import require
from sanlian.core.services import audit_record

from .engine import check_size, run_import
from .kinds import IMPORTERS, importer_for
from .models import ImportJob, ImportTemplate

# A sheet of 100,000 bad rows would make a huge JSON column; the counts stay exact beyond this.
MAX_STORED_ERRORS = 20_000


def import_dir() -> Path:
    path = Path(settings.SANLIAN_IMPORT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _store(upload) -> str:
    """Copy the upload in chunks (never all in memory) to a random name; the relative path."""
    name = f"{uuid.uuid4().hex}.bin"
    with open(import_dir() / name, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return name


def job_file(job: ImportJob) -> Path:
    return import_dir() / job.file_path


def import_job_create(
    *, actor, kind: str, upload, dry_run: bool = True, partial: bool = False, sheet: str = "",
    mapping: dict | None = None, now: datetime | None = None,
) -> ImportJob:  # fmt: skip
    """Keep the uploaded file and queue its job. The size is checked before the file is read."""
    if kind not in IMPORTERS:
        raise ValidationError({"kind": _("未知的导入类型")})
    require(actor, importer_for(kind).permission)
    check_size(upload.size or 0)
    job = ImportJob.objects.create(
        kind=kind, actor=actor if getattr(actor, "pk", None) else None, region=getattr(actor, "region", None),
        file_path=_store(upload), file_name=(upload.name or "")[:200], file_size=upload.size, sheet=sheet[:100],
        dry_run=dry_run, partial=partial, mapping=mapping or {}, created_at=now or timezone.now(),
    )  # fmt: skip
    return job


@transaction.atomic
def import_job_confirm(*, actor, job: ImportJob, partial: bool = False, now: datetime | None = None) -> ImportJob:
    """A real run of a dry-run job's file, with the same options (and `partial` as chosen now).

    The dry run's row is locked, so two confirmations of it at once (a double click, two officers) make
    one real run; the second is refused.
    """
    require(actor, importer_for(job.kind).permission)
    job = lock_row(ImportJob, job.pk)
    if not job.dry_run or job.status != ImportJob.Status.DONE:
        raise ValidationError({"job": _("只能确认已完成的预检")})
    if ImportJob.objects.filter(file_path=job.file_path, dry_run=False).exists():
        raise ValidationError({"job": _("该预检已确认导入,请勿重复提交")})
    if not job_file(job).exists():
        raise ValidationError({"job": _("上传的文件已不存在,请重新上传")})
    return ImportJob.objects.create(
        kind=job.kind, actor=job.actor, region=job.region, file_path=job.file_path, file_name=job.file_name,
        file_size=job.file_size, sheet=job.sheet, dry_run=False, partial=partial, mapping=job.mapping,
        created_at=now or timezone.now(),
    )  # fmt: skip


def import_job_again(*, actor, job: ImportJob, mapping: dict, now: datetime | None = None) -> ImportJob:
    """A new dry run of a job's file with another column mapping (the mapping page)."""
    require(actor, importer_for(job.kind).permission)
    if not job_file(job).exists():
        raise ValidationError({"job": _("上传的文件已不存在,请重新上传")})
    return ImportJob.objects.create(
        kind=job.kind, actor=actor if getattr(actor, "pk", None) else None, region=job.region,
        file_path=job.file_path, file_name=job.file_name, file_size=job.file_size, sheet=job.sheet, dry_run=True,
        mapping=mapping, created_at=now or timezone.now(),
    )  # fmt: skip


def import_job_run(job_id: int) -> ImportJob:
    """Run a queued job (the Huey task, or the CLI directly); a file problem fails the job with its message."""
    job = ImportJob.objects.select_related("actor").get(pk=job_id)
    # Claim the job with one conditional UPDATE: of two runs of the same job (a retried or duplicated
    # Huey message), only the one that moved it out of "queued" goes on.
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        job.refresh_from_db()
        return job

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(done=done, total=total)

    mapping = job.mapping or {}
    try:
        report = run_import(
            importer_for(job.kind), actor=job.actor, data=job_file(job).read_bytes(), filename=job.file_name,
            sheet=job.sheet, mapping=mapping.get("columns"), units=mapping.get("units"), dry_run=job.dry_run,
            partial=job.partial, progress=progress,
        )  # fmt: skip
    except ValidationError as exc:
        return _failed(job, error_text(exc))
    except Exception:
        # A database error while writing (e.g. the same USCC registered meanwhile) rolled everything back.
        _failed(job, _("导入时发生错误,未写入任何数据,请重试"))
        raise
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE, created=report.created, updated=report.updated, unchanged=report.unchanged,
        rejected=report.rejected, applied=report.applied, errors=report.as_dict()["errors"][:MAX_STORED_ERRORS],
        sheet=report.sheet,
        finished_at=timezone.now(),
    )  # fmt: skip
    job.refresh_from_db()
    if not job.dry_run:
        # The file was only kept for this run (the dry run's confirmation uses the same file).
        job_file(job).unlink(missing_ok=True)
    return job


def _failed(job: ImportJob, message: str) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED, message=message, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


@transaction.atomic
def import_template_save(*, actor, kind: str, name: str, mapping: dict, units: dict | None = None,
                         now: datetime | None = None) -> ImportTemplate:  # fmt: skip
    """Save (or replace) a named column mapping for the actor's region."""
    if kind not in IMPORTERS:
        raise ValidationError({"kind": _("未知的导入类型")})
    require(actor, importer_for(kind).permission)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写模板名称")})
    fields = {c.field for c in importer_for(kind).columns}
    bad = [field for field in mapping.values() if field and field not in fields]
    if bad:
        raise ValidationError({"mapping": _("未知字段:%(fields)s") % {"fields": "、".join(bad)}})
    template, _created = ImportTemplate.objects.update_or_create(
        kind=kind, name=name[:64], region=getattr(actor, "region", None),
        defaults={"mapping": mapping, "units": units or {}, "owner": actor if getattr(actor, "pk", None) else None,
                  "created_at": now or timezone.now()},
    )  # fmt: skip
    audit_record(actor=actor, action="import_template.save", target=template, changes={"mapping": [None, mapping]})
    return template
