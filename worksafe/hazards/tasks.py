from django.tasks import task

from .services import escalation_sweep


@task
def escalation_sweep_task() -> int:
    """The nightly sweep, for the database task worker (`manage.py db_worker`)."""
    return escalation_sweep()
