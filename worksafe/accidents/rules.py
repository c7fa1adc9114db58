"""Pure rules about accidents: grade, reporting chain, investigating level, fine ranges.

No database, no clock: every function takes what it needs, so each is table-tested.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from worksafe.orgs.models import Role
from worksafe.orgs.scope import may_place

from .models import GRADE_RANK, AuthorityLevel, Grade

WAN = Decimal(10_000)

# domain.md §1.1 (Order 493 Art. 3): the lowest value of each criterion that reaches the grade,
# highest grade first. "X以上" includes X, so each boundary belongs to the higher grade.
GRADE_THRESHOLDS: list[tuple[str, int, int, Decimal]] = [
    # grade, deaths, serious injuries, direct economic loss in yuan
    (Grade.PARTICULARLY_SERIOUS, 30, 100, 10_000 * WAN),
    (Grade.SERIOUS, 10, 50, 5_000 * WAN),
    (Grade.LARGER, 3, 10, 1_000 * WAN),
]


def grade_for(*, deaths: int, missing: int, serious_injuries: int, direct_economic_loss: Decimal) -> str:
    """Each criterion is judged separately and the highest grade reached wins (§1.1).

    Missing persons count with the dead for grading: a person missing after an accident is
    presumed dead until found, which is how grading is commonly practised; a later update
    that finds them alive lowers the count and the grade with it (and leaves history)."""
    dead = deaths + missing
    for grade, min_deaths, min_injuries, min_loss in GRADE_THRESHOLDS:
        if dead >= min_deaths or serious_injuries >= min_injuries or direct_economic_loss >= min_loss:
            return grade
    return Grade.GENERAL


def grade_higher(a: str, b: str) -> bool:
    return GRADE_RANK[a] > GRADE_RANK[b]


# domain.md §1.2 item 3: how far up the chain each grade must be reported.
REPORT_TOP_LEVEL = {
    Grade.GENERAL: AuthorityLevel.CITY,
    Grade.LARGER: AuthorityLevel.PROVINCE,
    Grade.SERIOUS: AuthorityLevel.STATE_COUNCIL,
    Grade.PARTICULARLY_SERIOUS: AuthorityLevel.STATE_COUNCIL,
}
CHAIN = [
    AuthorityLevel.UNIT,
    AuthorityLevel.COUNTY,
    AuthorityLevel.CITY,
    AuthorityLevel.PROVINCE,
    AuthorityLevel.STATE_COUNCIL,
]
UNIT_HOURS = 1  # §1.2 item 2: unit head -> county emergency management and regulators, 1 hour
LEVEL_HOURS = 2  # §1.2 item 3: at most 2 hours per level upward


@dataclass(frozen=True)
class ChainStep:
    from_level: str
    to_level: str
    hours: int


def report_chain(grade: str) -> list[ChainStep]:
    """The reports owed for `grade`, lowest first (§1.2 items 2-3)."""
    top = CHAIN.index(REPORT_TOP_LEVEL[grade])
    return [ChainStep(CHAIN[i], CHAIN[i + 1], UNIT_HOURS if i == 0 else LEVEL_HOURS) for i in range(top)]


def chain_deadlines(grade: str, learned_at: datetime) -> list[tuple[ChainStep, datetime]]:
    """Deadlines if every level reports at its last permitted moment; a level that reports
    earlier or later moves the next level's clock (see services.report_record)."""
    due = learned_at
    out = []
    for step in report_chain(grade):
        due = due + timedelta(hours=step.hours)
        out.append((step, due))
    return out


# domain.md §1.3: who investigates each grade.
INVESTIGATING_LEVEL = {
    Grade.GENERAL: AuthorityLevel.COUNTY,
    Grade.LARGER: AuthorityLevel.CITY,
    Grade.SERIOUS: AuthorityLevel.PROVINCE,
    Grade.PARTICULARLY_SERIOUS: AuthorityLevel.STATE_COUNCIL,
}


# domain.md §5: Work Safety Law fine ranges by the version in force on the accident's date.
@dataclass(frozen=True)
class LawVersion:
    code: str
    in_force: date
    unit_fines: dict  # grade -> (min, max) yuan, Art. 114 (2021) / Art. 109 (2014)
    principal_pct: dict  # grade -> percent of previous-year income, Art. 95 (2021) / Art. 92 (2014)
    aggravated: object  # callable(grade, (min, max)) -> (min, max) for particularly grave cases


def _aggravated_2021(grade, band):
    # 2 to 5 times the Art. 114 amount, never above 100 million (§5).
    return band[0] * 2, min(band[1] * 5, 10_000 * WAN)


def _aggravated_2014(grade, band):
    # The 2014 text raises only the particularly serious band: 10-20 million (§5).
    if grade == Grade.PARTICULARLY_SERIOUS:
        return 1_000 * WAN, 2_000 * WAN
    return band


LAW_VERSIONS = [
    LawVersion(
        code="2021",
        in_force=date(2021, 9, 1),
        unit_fines={
            Grade.GENERAL: (30 * WAN, 100 * WAN),
            Grade.LARGER: (100 * WAN, 200 * WAN),
            Grade.SERIOUS: (200 * WAN, 1_000 * WAN),
            Grade.PARTICULARLY_SERIOUS: (1_000 * WAN, 2_000 * WAN),
        },
        principal_pct={
            Grade.GENERAL: 40,
            Grade.LARGER: 60,
            Grade.SERIOUS: 80,
            Grade.PARTICULARLY_SERIOUS: 100,
        },
        aggravated=_aggravated_2021,
    ),
    LawVersion(
        code="2014",
        in_force=date(2014, 12, 1),
        unit_fines={
            Grade.GENERAL: (20 * WAN, 50 * WAN),
            Grade.LARGER: (50 * WAN, 100 * WAN),
            Grade.SERIOUS: (100 * WAN, 500 * WAN),
            Grade.PARTICULARLY_SERIOUS: (500 * WAN, 1_000 * WAN),
        },
        principal_pct={
            Grade.GENERAL: 30,
            Grade.LARGER: 40,
            Grade.SERIOUS: 60,
            Grade.PARTICULARLY_SERIOUS: 80,
        },
        aggravated=_aggravated_2014,
    ),
]


def law_in_force(on: date) -> LawVersion | None:
    """The Work Safety Law text in force on `on` (None before the 2014 text: not encoded)."""
    for version in LAW_VERSIONS:  # newest first
        if on >= version.in_force:
            return version
    return None


@dataclass(frozen=True)
class FineRange:
    law_version: str
    minimum: Decimal
    maximum: Decimal
    basis: str


def fine_range(
    *,
    grade: str,
    accident_date: date,
    subject: str,
    previous_year_income: Decimal | None = None,
    aggravated: bool = False,
) -> FineRange | None:
    """The proposed fine for the enterprise or its principal person, or None when the law does
    not give one here (another subject, no income known for a person, a date before 2014-12-01)."""
    law = law_in_force(accident_date)
    if law is None:
        return None
    if subject == "enterprise":
        band = law.unit_fines[grade]
        if aggravated:
            band = law.aggravated(grade, band)
        article = "114" if law.code == "2021" else "109"
        return FineRange(law.code, band[0], band[1], f"《安全生产法》（{law.code}）第{article}条")
    if subject == "principal_person" and previous_year_income is not None:
        amount = (previous_year_income * law.principal_pct[grade] / 100).quantize(Decimal("0.01"))
        article = "95" if law.code == "2021" else "92"
        return FineRange(law.code, amount, amount, f"《安全生产法》（{law.code}）第{article}条")
    return None


# Who may do what (the one place: services enforce it, pages and the API show it).
SUPERVISORS = (Role.ADMIN, Role.OFFICE, Role.INSPECTOR)


def may_view_accidents(user) -> bool:
    """Experts review hidden dangers only; every other role has accidents in its scope."""
    return user.role != Role.EXPERT


def may_report(user) -> bool:
    return user.role in SUPERVISORS or user.role == Role.ENTERPRISE_OFFICER


def may_update_figures(user, accident) -> bool:
    """Supervisors in scope, and the officer of the accident's own enterprise while the
    accident lies in that enterprise's area (one filed elsewhere is not the enterprise's)."""
    if user.role == Role.ENTERPRISE_OFFICER and accident.enterprise_id is None:
        return False
    return may_report(user) and may_place(
        user, region=accident.region_id, industry=accident.industry, enterprise=accident.enterprise_id
    )


FIGURES = ("deaths", "missing", "serious_injuries", "direct_economic_loss")


def figures_lowered_below_record(user, changes: dict, recorded) -> list[str]:
    """The figures an enterprise would lower below what a government body last recorded
    (`recorded`: that body's latest grade change, or None). The accountable unit lowering its
    casualties or loss is how an accident is concealed (瞒报, domain.md §1.2): it may add new
    facts, but only the government body may correct its own figures downwards."""
    if user.role != Role.ENTERPRISE_OFFICER or recorded is None:
        return []
    return [name for name in FIGURES if name in changes and changes[name] < getattr(recorded, name)]


def may_record_report(user, duty) -> bool:
    if user.role in SUPERVISORS:
        return True
    # The unit records its own first report; the levels above are the government's.
    return duty.from_level == AuthorityLevel.UNIT and may_update_figures(user, duty.accident)


def may_flag_irregularity(user) -> bool:
    return user.role in SUPERVISORS


def may_investigate(user) -> bool:
    return user.role in SUPERVISORS


def may_decide(user) -> bool:
    return user.role in SUPERVISORS


READ_ONLY_REASON = _("Your role may not change accident records.")
