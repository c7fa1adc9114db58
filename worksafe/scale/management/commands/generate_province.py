import datetime as dt
import resource

from django.core.management.base import BaseCommand, CommandError

from worksafe.scale.generator import Options, generate


class Command(BaseCommand):
    requires_system_checks = []
    help = (
        "Builds a deterministic synthetic province (Liaoning): synthetic counties and streets, "
        "public bodies, enterprises and hazards over several years, with chained audit events."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=None, help="default: hazards / 10")
        parser.add_argument("--hazards", type=int, default=2_000_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--years", type=int, default=4)
        parser.add_argument("--anchor", type=dt.date.fromisoformat, default=None, help="today of the history")
        parser.add_argument("--chunk", type=int, default=20_000)
        parser.add_argument("--inspections", type=int, default=None, help="default: hazards / 8")
        parser.add_argument("--accidents", type=int, default=None, help="default: 300 per 2M hazards")
        parser.add_argument("--no-events", action="store_true", help="write no audit events")

    def handle(self, *args, **options):
        hazards = options["hazards"]
        enterprises = options["enterprises"] or max(hazards // 10, 1)
        for size in ("inspections", "accidents"):
            if options[size] is not None and options[size] < 0:
                raise CommandError("Sizes must be positive.")
        if hazards < 0 or enterprises < 1 or options["years"] < 1 or options["chunk"] < 1:
            raise CommandError("Sizes must be positive.")
        verbose = options["verbosity"] > 0
        result = generate(
            Options(
                enterprises=enterprises,
                hazards=hazards,
                seed=options["seed"],
                years=options["years"],
                anchor=options["anchor"],
                chunk=options["chunk"],
                events=not options["no_events"],
                inspections=options["inspections"],
                accidents=options["accidents"],
                progress=(lambda m: self.stderr.write(m)) if verbose else (lambda m: None),
            )
        )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if verbose:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{result.rows:,} rows in {result.seconds:.1f} s "
                    f"({result.rows / max(result.seconds, 1e-6):,.0f} rows/s, peak RSS {peak_mb:.0f} MB): "
                    f"{result.enterprises:,} enterprises, {result.hazards:,} hazards, {result.events:,} events, "
                    f"{result.regions:,} regions, {result.organizations:,} public bodies, "
                    f"{result.inspections:,} inspections, {result.enforcement:,} enforcement actions, "
                    f"{result.accidents:,} accidents"
                )
            )
