from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from worksafe.audit.services import verify_chain
from worksafe.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restores an archive made by `backup` into an empty installation (run `migrate` first)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive written by `manage.py backup`")

    def handle(self, *args, path, **options):
        try:
            summary = restore(Path(path))
        except BackupError as exc:
            raise CommandError(f"Restore refused, nothing changed: {exc}") from None
        problem = verify_chain()
        if problem:
            raise CommandError(
                f"Restored, but the audit chain is broken at event {problem.event_id}: {problem.reason}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {summary.rows} rows, {summary.events} audit events and {summary.files} files; "
                "audit chain intact."
            )
        )
