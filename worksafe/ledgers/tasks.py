from django.tasks import task

from .services import import_run


@task
def run_import_task(job_id: int) -> int:
    """Work through one uploaded ledger; returns the rows done."""
    return import_run(job_id=job_id).done_rows
