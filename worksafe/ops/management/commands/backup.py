from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from worksafe.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Writes one consistent archive (tar) of all WorkSafe data, evidence files and a SHA-256 manifest."

    def add_arguments(self, parser):
        parser.add_argument("path", help="where to write the archive, e.g. worksafe-2026-11-23.tar")

    def handle(self, *args, path, **options):
        try:
            summary = backup(Path(path))
        except BackupError as exc:
            raise CommandError(f"Backup failed: {exc}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {path}: {summary.rows} rows, {summary.events} audit events, {summary.files} files."
            )
        )
