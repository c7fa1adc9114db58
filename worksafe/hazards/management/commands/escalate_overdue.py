from django.core.management.base import BaseCommand

from worksafe.hazards.services import escalation_sweep
from worksafe.hazards.tasks import escalation_sweep_task


class Command(BaseCommand):
    help = "Advances every overdue hidden danger one step up the escalation ladder (once a day at most)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the sweep for the task worker instead."
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = escalation_sweep_task.enqueue()
            self.stdout.write(f"Queued escalation sweep {result.id}.")
            return
        moved = escalation_sweep()
        self.stdout.write(self.style.SUCCESS(f"{moved} hidden dangers escalated."))
