from sanlian.core.permissions import scope_queryset

from .models import ImportJob, ImportTemplate


def jobs_visible(user):
    """Jobs of the user's region (superusers: all); the system's (CLI) jobs only for superusers."""
    jobs = ImportJob.objects.select_related("actor")
    if user.is_superuser:
        return jobs
    return scope_queryset(user, jobs) | jobs.filter(actor=user)


def templates_for(user, kind: str | None = None):
    templates = (
        ImportTemplate.objects.all() if user.is_superuser else scope_queryset(user, ImportTemplate.objects.all())
    )
    return templates.filter(kind=kind) if kind else templates
