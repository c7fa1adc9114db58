from django.tasks import task

from .services import import_recover, import_run


@task
def run_import_task(job_id: int) -> int:
    """Work through one uploaded ledger; returns the rows done."""
    return import_run(job_id=job_id).done_rows


@task
def recover_imports_task() -> int:
    """Take back the jobs of workers that died (on the schedule and as a worker starts)."""
    return import_recover()
