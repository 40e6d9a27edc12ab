"""Pages of the import: upload (kind, file, sheet, saved mapping) → dry run job → result with the row
errors (downloadable) → confirm → job progress → result. Also the mapping page and template workbooks.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sanlian.core.downloads import download
from sanlian.core.forms import apply_service_errors
from sanlian.core.jobs import enqueue
from sanlian.core.permissions import has_perm, require
from sanlian.core.rowpipe import WAN_YUAN, YUAN, locate_header, suggest_field
from sanlian.core.sheets import SheetError, normalise, read_table

from . import selectors, services
from .engine import error_workbook, header_label
from .forms import ConfirmForm, UploadForm
from .kinds import IMPORTERS, importer_for
from .models import ImportJob
from .tasks import run_import_job

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def importable_kinds(user) -> dict:
    """{kind: importer} of the kinds the user may import."""
    return {kind: importer_for(kind) for kind in IMPORTERS if has_perm(user, importer_for(kind).permission)}


def can_import(user) -> bool:
    return bool(importable_kinds(user))


def _job(request, pk) -> ImportJob:
    if not can_import(request.user):
        raise PermissionDenied
    job = selectors.jobs_visible(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def start(request):
    user = request.user
    if not can_import(user):
        raise PermissionDenied
    kinds = importable_kinds(user)
    form = UploadForm(request.POST or None, request.FILES or None, templates=selectors.templates_for(user),
                      kinds=kinds, initial={"kind": request.GET.get("kind", next(iter(kinds)))})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        template = form.cleaned_data["template"]
        if template is not None and template.kind != form.cleaned_data["kind"]:
            form.add_error("template", _("该模板不属于所选的导入类型"))
        else:
            mapping = {"columns": template.mapping, "units": template.units} if template else {}
            try:
                job = services.import_job_create(
                    actor=user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], dry_run=True,
                    sheet=form.cleaned_data["sheet"], mapping=mapping,
                )  # fmt: skip
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                enqueue(run_import_job, job_id=job.pk)
                return redirect("imports:job", pk=job.pk)
    jobs = selectors.jobs_visible(user)[:20]
    status = 400 if form.errors else 200
    return render(request, "imports/start.html", {"form": form, "jobs": jobs, "kinds": kinds}, status=status)


def template_download(request, kind):
    if kind not in IMPORTERS:
        raise Http404
    importer = importer_for(kind)
    require(request.user, importer.permission)
    return download(importer.template_workbook(), filename=f"import-{kind}-template.xlsx", content_type=XLSX)


def _context(job: ImportJob) -> dict:
    return {"job": job, "confirm_form": ConfirmForm(), "can_confirm": job.dry_run and job.status == job.Status.DONE}


def job(request, pk):
    return render(request, "imports/job.html", _context(_job(request, pk)))


def job_progress(request, pk):
    """The progress block alone (HTMX polls it every second until the job is finished)."""
    return render(request, "imports/_progress.html", _context(_job(request, pk)))


def job_errors(request, pk):
    job = _job(request, pk)
    return download(error_workbook(job.errors), filename=f"import-{job.pk}-errors.xlsx", content_type=XLSX)


def job_confirm(request, pk):
    job = _job(request, pk)
    if request.method != "POST":
        return redirect("imports:job", pk=job.pk)
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        new = services.import_job_confirm(actor=request.user, job=job, partial=form.cleaned_data.get("partial", False))
    except ValidationError as exc:
        return render(request, "imports/job.html", {**_context(job), "confirm_error": exc.messages[0]}, status=400)
    enqueue(run_import_job, job_id=new.pk)
    return redirect("imports:job", pk=new.pk)


def job_mapping(request, pk):
    """Map the sheet's headers to fields (suggested by label and alias), optionally save them as a template,
    and dry-run the same file again with that mapping.
    """
    job = _job(request, pk)
    importer = importer_for(job.kind)
    try:
        table = read_table(services.job_file(job).read_bytes(), job.file_name, job.sheet or None)
    except (OSError, SheetError, KeyError):
        raise Http404 from None
    located = locate_header(table.rows, importer.columns, (job.mapping or {}).get("columns"))
    header_row = located.header_row if located else 0
    headers = [normalise(c) for c in (table.rows[header_row] if table.rows else []) if normalise(c)]
    choices = [("", _("(忽略此列)"))] + [(c.field, header_label(c)) for c in importer.columns]
    error = ""
    if request.method == "POST":
        mapping = {h: request.POST.get(f"col-{i}", "") for i, h in enumerate(headers)}
        units = {c.field: request.POST.get(f"unit-{c.field}") for c in importer.columns if c.kind == "money"
                 and request.POST.get(f"unit-{c.field}") in (YUAN, WAN_YUAN)}  # fmt: skip
        try:
            if request.POST.get("template_name", "").strip():
                services.import_template_save(actor=request.user, kind=job.kind, name=request.POST["template_name"],
                                              mapping=mapping, units=units)  # fmt: skip
            new = services.import_job_again(actor=request.user, job=job, mapping={"columns": mapping, "units": units})
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        else:
            enqueue(run_import_job, job_id=new.pk)
            return redirect("imports:job", pk=new.pk)
    current = (job.mapping or {}).get("columns") or {}
    rows = [{"index": i, "header": h, "field": current.get(h, suggest_field(h, importer.columns)) or ""}
            for i, h in enumerate(headers)]  # fmt: skip
    money = [c for c in importer.columns if c.kind == "money"]
    return render(request, "imports/mapping.html", {
        "job": job, "rows": rows, "choices": choices, "money": money, "error": error,
        "units": (job.mapping or {}).get("units") or {},
        "unit_choices": [(YUAN, _("元")), (WAN_YUAN, _("万元"))],
    })  # fmt: skip
