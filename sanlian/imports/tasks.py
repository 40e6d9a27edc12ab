"""The import job runs in Huey (tests run it immediately, in-process)."""

from huey.contrib.djhuey import db_task


@db_task(retries=3, retry_delay=60)
def run_import_job(*, job_id: int):
    from .services import import_job_run

    return import_job_run(job_id).status
