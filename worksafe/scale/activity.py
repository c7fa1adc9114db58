"""Inspections, enforcement and accidents of the synthetic province (see generator.py).

Rows are built as plain tuples and bulk-loaded through the generator's Writer, in chunks.
Every draw comes from its own seeded stream, so changing one size leaves the other tables'
rows alone, and the same seed gives the same rows.

Audit: these rows get no chained events. The chain records what people did through the
services; generated history of inspections, enforcement and accidents is bulk data for load
tests, like the hazards' later transitions, so the chain is left as it was and verify_audit
passes. (Hazards keep their one synthetic creation event each, as before.)
"""

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Max

from worksafe.accidents.models import Accident, AuthorityLevel, GradeChange, Investigation, ReportDuty, Track
from worksafe.accidents.rules import INVESTIGATING_LEVEL, chain_deadlines, grade_for
from worksafe.accidents.services import default_type
from worksafe.inspections.models import Answer, ChecklistItem, ChecklistTemplate, Enforcement, Inspection
from worksafe.orgs.models import Organization, Role, User

INSPECTORS_PER_DEPARTMENT = 2
# Share of inspections by kind (government supervision is added per county and year).
INSPECTION_KINDS = [("routine", 70), ("special", 20), ("unannounced", 10)]
# Share of finished enterprise inspections that end in an enforcement action, and the mix.
ENFORCEMENT_SHARE = 0.35
ENFORCEMENT_KINDS = [
    ("order_rectify", 70),
    ("warning", 12),
    ("fine", 12),
    ("referral", 4),
    ("suspend", 1.5),
    ("close", 0.5),
]
FINE_BASES = [
    "《中华人民共和国安全生产法》第九十七条",
    "《中华人民共和国安全生产法》第九十九条",
    "《中华人民共和国安全生产法》第一百零一条",
    "《中华人民共和国安全生产法》第一百零二条",
]
WARNING_BASIS = "《中华人民共和国安全生产法》第一百零二条"
SUSPEND_BASIS = "《中华人民共和国安全生产法》第一百一十三条"
ANSWERED_SHARE = 0.1  # finished checklist inspections whose first items carry answers
ANSWERED_ITEMS = 5
ACCIDENTS_PER_2M_HAZARDS = 300
SUMMARIES = {
    "production": "作业过程中发生事故，造成人员伤亡和财产损失。",
    "road_traffic": "营运车辆发生道路交通事故，造成人员伤亡。",
    "fire": "经营场所发生火灾，造成人员伤亡和财产损失。",
}
WAN = Decimal(10_000)


def default_inspections(hazards: int) -> int:
    """One inspection per eight hazards: about a third of the enterprises a year at the default
    ratio of ten hazards per enterprise over four years."""
    return hazards // 8


def default_accidents(hazards: int) -> int:
    return round(hazards * ACCIDENTS_PER_2M_HAZARDS / 2_000_000)


def _next_id(model) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _pick(rng: random.Random, pairs) -> Callable[[], str]:
    values = [v for v, _w in pairs]
    weights = [w for _v, w in pairs]
    return lambda: rng.choices(values, weights)[0]


def inspectors(result) -> dict[int, list[int]]:
    """A few inspector users per generated department (created once, kept on later runs).
    Returns {department id: [user ids]} for every department of the province."""
    departments = list(
        Organization.objects.filter(kind=Organization.Kind.DEPARTMENT, region__code__startswith="21")
        .order_by("id")
        .values_list("id", "name")
    )
    wanted = {
        f"gen_insp_{dept_id}_{n}": (dept_id, name)
        for dept_id, name in departments
        for n in range(1, INSPECTORS_PER_DEPARTMENT + 1)
    }
    have = dict(User.objects.filter(username__in=list(wanted)).values_list("username", "pk"))
    new = []
    first = _next_id(User)
    for username, (dept_id, name) in wanted.items():
        if username in have:
            continue
        user = User(
            pk=first + len(new),
            username=username,
            name=f"{name}执法人员{username.rsplit('_', 1)[1]}",
            role=Role.INSPECTOR,
            organization_id=dept_id,
        )
        user.set_unusable_password()
        new.append(user)
    User.objects.bulk_create(new, batch_size=1000)
    result.users += len(new)
    have.update({u.username: u.pk for u in new})
    out: dict[int, list[int]] = {}
    for username, (dept_id, _name) in wanted.items():
        out.setdefault(dept_id, []).append(have[username])
    return out


class Departments:
    """Which generated department supervises (and may penalize) an industry where: the county's
    department first, the city's otherwise (worksafe.inspections.rules.may_penalize)."""

    def __init__(self, staff: dict[int, list[int]]):
        self.by_area: dict[tuple[str, str], int] = {}
        rows = Organization.objects.filter(
            kind=Organization.Kind.DEPARTMENT,
            region__code__startswith="21",
            can_penalize=True,
            pk__in=list(staff),
        ).order_by("id")
        for pk, region, industries in rows.values_list("id", "region_id", "industries"):
            for industry in industries or []:
                self.by_area.setdefault((region, industry), pk)
        self.staff = staff

    def supervisor(self, region: str, industry: str, *, city: bool = False) -> int | None:
        county = self.by_area.get((region[:6], industry))
        upper = self.by_area.get((region[:4] + "00", industry))
        if city:
            return upper
        return county or upper


INSPECTION_COLUMNS = [f.column for f in Inspection._meta.concrete_fields]
TEAM_COLUMNS = ["id", "inspection_id", "user_id"]
ANSWER_COLUMNS = [f.column for f in Answer._meta.concrete_fields]
ENFORCEMENT_COLUMNS = [f.column for f in Enforcement._meta.concrete_fields]
TEAM_TABLE = Inspection.team.through._meta.db_table


def inspections_and_enforcement(
    *, seed, count, years, anchor, enterprises, staff, writer, chunk, result, say
):
    """`count` inspections of the generated enterprises over `years` up to `anchor` (ids grow with
    time), plus a few supervisions of a county's committee by its city's committee."""
    rng = random.Random(f"{seed}:inspections")
    draw = rng.random
    departments = Departments(staff)
    templates: dict[str, tuple[int, list[int]]] = {}
    for pk, industry in (
        ChecklistTemplate.objects.filter(owner=None, is_active=True)
        .order_by("id")
        .values_list("id", "industry")
    ):
        if industry not in templates:
            items = list(
                ChecklistItem.objects.filter(template_id=pk)
                .order_by("position", "id")
                .values_list("id", flat=True)
            )
            templates[industry] = (pk, items[:ANSWERED_ITEMS])
    committees = dict(
        Organization.objects.filter(kind=Organization.Kind.COMMITTEE, region__code__startswith="21")
        .order_by("-id")
        .values_list("region_id", "id")
    )
    kind_pick = _pick(rng, INSPECTION_KINDS)
    enforcement_pick = _pick(rng, ENFORCEMENT_KINDS)
    ids = {
        "inspection": _next_id(Inspection),
        "team": _next_id(Inspection.team.through),
        "answer": _next_id(Answer),
        "enforcement": _next_id(Enforcement),
    }
    firsts = dict(ids)
    span_days = years * 365
    latest = dt.datetime.combine(anchor, dt.time(0), tzinfo=dt.UTC)
    start = anchor - dt.timedelta(days=span_days)
    n_ent = len(enterprises)
    # Supervision of lower governments: each county committee once a year by its city's committee.
    supervised = sorted(code for code in committees if len(code) == 6 and code[4:] != "00")
    per_year = len(supervised)
    # A few: at most one per county and year, and never more than 2% of the inspections.
    supervisions = min(per_year * years, count // 50)
    total = count + supervisions
    rows = {"inspection": [], "team": [], "answer": [], "enforcement": []}

    def flush():
        result.inspections += writer.write("inspections_inspection", INSPECTION_COLUMNS, rows["inspection"])
        writer.write(TEAM_TABLE, TEAM_COLUMNS, rows["team"])
        result.answers += writer.write("inspections_answer", ANSWER_COLUMNS, rows["answer"])
        result.enforcement += writer.write(
            "inspections_enforcement", ENFORCEMENT_COLUMNS, rows["enforcement"]
        )
        result.team += len(rows["team"])
        for values in rows.values():
            values.clear()
        say(f"inspections {result.inspections:,}/{total:,}, enforcement {result.enforcement:,}")

    supervision_every = total // supervisions if supervisions else 0
    next_supervision = 0
    for i in range(total):
        planned_on = start + dt.timedelta(days=int(span_days * i / total) + 30)
        supervision = supervision_every and next_supervision < supervisions and i % supervision_every == 0
        if supervision:
            county = supervised[next_supervision % per_year]
            next_supervision += 1
            organizer = committees.get(county[:4] + "00")
            dept = departments.supervisor(county, "hazardous_chemicals", city=True)
            if organizer is None or dept is None:
                continue
            target, region, industry, kind = committees[county], county, "", "government_supervision"
            checklist, items = None, []
        else:
            target, region, industry = enterprises[int(n_ent * draw() ** 1.5)]
            dept = departments.supervisor(region, industry)
            if dept is None:
                continue
            organizer = dept
            kind = kind_pick()
            checklist, items = templates.get(industry, (None, []))
        team = staff[dept]
        age = (anchor - planned_on).days
        if age < 0:
            status = "planned"
        elif age < 14:
            status = "in_progress" if draw() < 0.5 else "finished"
        else:
            status = "cancelled" if draw() < 0.03 else "finished"
        at = dt.datetime.combine(planned_on, dt.time(1), tzinfo=dt.UTC) + dt.timedelta(
            minutes=int(draw() * 420)
        )
        started = at if status in ("in_progress", "finished") else None
        finished = at + dt.timedelta(minutes=30 + int(draw() * 240)) if status == "finished" else None
        pk = ids["inspection"]
        ids["inspection"] += 1
        version = 1 + (started is not None) + (finished is not None) + (status == "cancelled")
        created = min(at - dt.timedelta(days=7), latest)  # planned a week ahead, never after "today"
        rows["inspection"].append(
            (
                pk,
                target,
                region,
                industry,
                kind,
                status,
                planned_on,
                checklist,
                organizer,
                None,
                started,
                finished,
                None,
                None,
                True if finished and industry else None,
                "",
                team[0],
                created,
                version,
            )
        )
        for user in team:
            rows["team"].append((ids["team"], pk, user))
            ids["team"] += 1
        if finished is not None and items and draw() < ANSWERED_SHARE:
            for item in items:
                result_ = "fail" if draw() < 0.1 else "pass"
                rows["answer"].append((ids["answer"], pk, item, result_, "", None, team[0], finished))
                ids["answer"] += 1
        if finished is not None and industry and draw() < ENFORCEMENT_SHARE:
            _enforcement(
                rng,
                enforcement_pick(),
                ids,
                rows,
                pk,
                target,
                region,
                industry,
                dept,
                team,
                finished,
                anchor,
                departments,
            )
        if len(rows["inspection"]) >= chunk:
            flush()
    flush()
    return firsts


def _enforcement(
    rng, kind, ids, rows, inspection, target, region, industry, dept, team, at, anchor, departments
):
    """One action by the inspecting department, which supervises the target's industry in its
    area and may penalize (the rule worksafe.inspections.rules.why_not_enforce applies)."""
    amount = None
    basis = ""
    deadline = None
    referred_to = None
    day = at.date()
    if kind == "order_rectify":
        deadline = day + dt.timedelta(days=rng.choice((7, 15, 30)))
        status = "completed" if deadline < anchor or rng.random() < 0.5 else "issued"
        description = "责令限期整改检查发现的问题。"
    elif kind == "fine":
        amount = Decimal(rng.choice((1, 2, 3, 5, 5, 10, 20, 50))) * WAN
        basis = rng.choice(FINE_BASES)
        status = "completed" if day < anchor - dt.timedelta(days=30) else "issued"
        description = "对未落实安全生产主体责任的行为处以罚款。"
    elif kind == "warning":
        basis = WARNING_BASIS
        status = "completed"
        description = "对存在的违法行为给予警告。"
    elif kind in ("suspend", "close"):
        basis = SUSPEND_BASIS
        status = "issued"
        description = (
            "存在重大事故隐患，责令停产停业整顿。" if kind == "suspend" else "不具备安全生产条件，予以关闭。"
        )
    else:  # referral to the city's department of the industry, which may penalize
        referred_to = departments.supervisor(region, industry, city=True)
        if referred_to is None or referred_to == dept:
            return
        status = "acted" if day < anchor - dt.timedelta(days=30) else "pending"
        description = "案件移送有处罚权的部门处理。"
    rows["enforcement"].append(
        (
            ids["enforcement"],
            target,
            region,
            industry,
            kind,
            status,
            dept,
            team[0],
            amount,
            "",  # legal_article: generated bases are free text, checked against the cap
            basis,
            "",  # number
            description,
            deadline,
            inspection,
            referred_to,
            None,
            at,
            1,
        )
    )
    ids["enforcement"] += 1


ACCIDENT_COLUMNS = [f.column for f in Accident._meta.concrete_fields]
GRADE_COLUMNS = [f.column for f in GradeChange._meta.concrete_fields]
DUTY_COLUMNS = [f.column for f in ReportDuty._meta.concrete_fields]
INVESTIGATION_COLUMNS = [f.column for f in Investigation._meta.concrete_fields]
TRACK_COLUMNS = [f.column for f in Track._meta.concrete_fields]


def _figures(rng: random.Random, serious: bool, larger: bool) -> tuple[int, int, int, Decimal]:
    """Casualties and loss of one accident (domain.md §1.1 grades them)."""
    if serious:
        deaths, injuries = rng.randint(10, 14), rng.randint(5, 30)
        loss = Decimal(rng.randint(1500, 4000)) * WAN
    elif larger:
        deaths, injuries = rng.randint(3, 6), rng.randint(0, 9)
        loss = Decimal(rng.randint(300, 900)) * WAN
    else:
        deaths = rng.choices((0, 1, 2), (40, 50, 10))[0]
        injuries = rng.randint(0, 4)
        loss = Decimal(rng.randint(5, 150 * (deaths + 1))) * WAN
    return deaths, 0, injuries, loss


def accidents(*, seed, count, years, anchor, enterprises, staff, writer, result, say):
    """Rare accidents at the generated enterprises, graded by the accidents app's own rule, each
    with its creation grade change, initial reporting duties (made on time) and an
    investigation with its three tracks (concluded once old enough)."""
    rng = random.Random(f"{seed}:accidents")
    departments = Departments(staff)
    ids = {
        "accident": _next_id(Accident),
        "grade": _next_id(GradeChange),
        "duty": _next_id(ReportDuty),
        "investigation": _next_id(Investigation),
        "track": _next_id(Track),
    }
    firsts = dict(ids)
    rows = {"accident": [], "grade": [], "duty": [], "investigation": [], "track": []}
    span = years * 365 * 86400
    start = dt.datetime.combine(anchor, dt.time(1), tzinfo=dt.UTC) - dt.timedelta(seconds=span)
    n_ent = len(enterprises)
    serious_at = count // 2 if count >= 100 else -1  # one serious accident at most
    for i in range(count):
        ent, region, industry = enterprises[int(n_ent * rng.random())]
        dept = departments.supervisor(region, industry)
        if dept is None:
            continue
        reporter = staff[dept][0]
        larger = rng.random() < 0.02
        deaths, missing, injuries, loss = _figures(rng, i == serious_at, larger)
        grade = str(
            grade_for(deaths=deaths, missing=missing, serious_injuries=injuries, direct_economic_loss=loss)
        )
        occurred = start + dt.timedelta(seconds=int(span * i / max(count, 1)) + int(rng.random() * 43200))
        learned = occurred + dt.timedelta(minutes=rng.randint(5, 40))
        kind = str(default_type(industry))
        pk = ids["accident"]
        ids["accident"] += 1
        rows["accident"].append(
            (
                pk,
                occurred,
                learned,
                region,
                ent,
                industry,
                kind,
                f"{region}号厂区",
                SUMMARIES[kind],
                deaths,
                missing,
                injuries,
                loss,
                grade,
                reporter,
                learned,
                learned,
                1,
            )
        )
        rows["grade"].append(
            (ids["grade"], pk, learned, "", grade, deaths, missing, injuries, loss, reporter, "")
        )
        ids["grade"] += 1
        for step, due in chain_deadlines(grade, learned):  # domain.md §1.2
            reported = due - dt.timedelta(minutes=rng.randint(5, 50))
            rows["duty"].append(
                (
                    ids["duty"],
                    pk,
                    "initial",
                    str(step.from_level),
                    str(step.to_level),
                    due,
                    reported,
                    reporter,
                    "",
                    "",
                    "",
                )
            )
            ids["duty"] += 1
        lead = str(INVESTIGATING_LEVEL[grade])  # domain.md §1.3
        concluded = occurred.date() < anchor - dt.timedelta(days=Investigation.BASE_DAYS)
        closed_at = occurred + dt.timedelta(days=rng.randint(30, 59)) if concluded else None
        authority = "区县人民政府事故调查组" if lead == AuthorityLevel.COUNTY else "人民政府事故调查组"
        rows["investigation"].append(
            (
                ids["investigation"],
                pk,
                lead,
                authority,
                [],
                0,
                "",
                "",
                "违章作业，安全防护措施缺失。" if concluded else "",
                "",
                "事故调查已结案。" if concluded else "",
                "concluded" if concluded else "open",
                closed_at,
                closed_at or learned,
                1 + concluded,
            )
        )
        for track in Track.Kind.values:
            rows["track"].append(
                (
                    ids["track"],
                    ids["investigation"],
                    track,
                    "已查明。" if concluded else "",
                    "closed" if concluded else "open",
                    closed_at,
                )
            )
            ids["track"] += 1
        ids["investigation"] += 1
    result.accidents += writer.write("accidents_accident", ACCIDENT_COLUMNS, rows["accident"])
    result.accident_details += writer.write("accidents_gradechange", GRADE_COLUMNS, rows["grade"])
    result.accident_details += writer.write("accidents_reportduty", DUTY_COLUMNS, rows["duty"])
    result.accident_details += writer.write(
        "accidents_investigation", INVESTIGATION_COLUMNS, rows["investigation"]
    )
    result.accident_details += writer.write("accidents_track", TRACK_COLUMNS, rows["track"])
    say(f"accidents {result.accidents:,}")
    return firsts


REFERENCES = [
    ("inspections_inspection", "target_id", "orgs_organization", "id"),
    ("inspections_inspection", "organizer_id", "orgs_organization", "id"),
    ("inspections_inspection", "created_by_id", "orgs_user", "id"),
    ("inspections_inspection", "checklist_id", "inspections_checklisttemplate", "id"),
    (TEAM_TABLE, "user_id", "orgs_user", "id"),
    (TEAM_TABLE, "inspection_id", "inspections_inspection", "id"),
    ("inspections_answer", "item_id", "inspections_checklistitem", "id"),
    ("inspections_enforcement", "target_id", "orgs_organization", "id"),
    ("inspections_enforcement", "issued_by_id", "orgs_organization", "id"),
    ("inspections_enforcement", "inspection_id", "inspections_inspection", "id"),
    ("accidents_accident", "enterprise_id", "orgs_organization", "id"),
    ("accidents_accident", "reported_by_id", "orgs_user", "id"),
    ("accidents_reportduty", "accident_id", "accidents_accident", "id"),
    ("accidents_track", "investigation_id", "accidents_investigation", "id"),
]
MODELS = [
    Inspection,
    Inspection.team.through,
    Answer,
    Enforcement,
    Accident,
    GradeChange,
    ReportDuty,
    Investigation,
    Track,
]
TABLE_FIRST = {
    "inspections_inspection": "inspection",
    TEAM_TABLE: "team",
    "inspections_answer": "answer",
    "inspections_enforcement": "enforcement",
    "accidents_accident": "accident",
    "accidents_reportduty": "duty",
    "accidents_track": "track",
}
