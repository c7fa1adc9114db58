from django.core.management.base import BaseCommand, CommandError

from worksafe.audit.models import Event
from worksafe.audit.services import verify_chain


class Command(BaseCommand):
    help = "Checks the hash chain of the audit log; exits non-zero naming the first broken event."

    def handle(self, *args, **options):
        problem = verify_chain()
        if problem:
            raise CommandError(f"Audit chain broken at event {problem.event_id}: {problem.reason}")
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact ({Event.objects.count()} events)."))
