"""Demo assessment: the city's districts for the year of the larger demo accident, which vetoes
Xigang's result (一票否决)."""

from datetime import date

from django.utils import timezone

from .services import manual_score_set, period_compute, period_create, period_transition, subject_add


def load(ctx: dict) -> None:
    office = ctx["users"]["office"]
    larger = ctx.get("accidents", {}).get("larger")
    year = larger.occurred_on.year if larger else timezone.localdate().year
    period = period_create(
        actor=office,
        name=f"{year}年度大连市安全生产目标责任考核",
        region="210200",
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
    )
    subjects = [
        subject_add(actor=office, period_id=period.pk, kind="region", region=code)
        for code in ("210202", "210203", "210211")
    ]
    subject_add(
        actor=office,
        period_id=period.pk,
        kind="department",
        region="210200",
        organization=ctx["orgs"]["dept_em"].pk,
    )
    manual = period.indicators.get(metric="manual")
    for subject, score in zip(subjects, ("9", "10", "7.5"), strict=True):
        manual_score_set(
            actor=office,
            period_id=period.pk,
            subject_id=subject.pk,
            indicator_id=manual.pk,
            score=score,
            evidence="安全生产责任书签订、党政同责落实情况检查记录。",
        )
    period_compute(actor=office, period_id=period.pk)
    period.refresh_from_db()
    period_transition(actor=office, period_id=period.pk, action="publish", version=period.version)
