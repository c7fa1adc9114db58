"""A deterministic synthetic province for load tests and benchmarks.

Same seed, same anchor day, same database state before the run → the same rows. Everything is
streamed in chunks: memory holds the region tree and one (id, region, industry) tuple per
enterprise, never the hazards. PostgreSQL loads through COPY, SQLite through executemany.

Audit: every generated hazard gets one chained ``create`` event whose ``to_status`` is the
status the hazard was generated in (``data.synthetic`` is true). The events continue the
existing chain under the chain-head lock, so ``verify_audit`` passes before and after.
Inspections, enforcement and accidents (activity.py) get no events.

PostgreSQL rows go through psycopg's compiled COPY row writer (binary where the table has no
JSON column); each audit event's hashed text fills audit's canonical template.
"""

import datetime as dt
import hashlib
import itertools
import json
import random
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from worksafe.audit.models import ChainHead, SubjectType
from worksafe.audit.services import canonical_template, canonical_time, lock_chain_head
from worksafe.hazards import tally
from worksafe.hazards.models import Hazard, HazardCounter
from worksafe.orgs.models import Industry, Organization, Role, User
from worksafe.orgs.uscc import make_code
from worksafe.regions.models import Level, Region, level_of

from . import activity

SYNTHETIC = "synthetic"  # Region.edition of codes we made up (real codes keep their edition)

# Share of enterprises per industry: trade, construction and crowded places dominate; mines and
# fireworks are few (a typical northern coastal province).
INDUSTRY_WEIGHTS = {
    Industry.INDUSTRY_TRADE: 30,
    Industry.CONSTRUCTION: 15,
    Industry.FIRE_SAFETY: 14,
    Industry.ROAD_TRANSPORT: 8,
    Industry.HAZARDOUS_CHEMICALS: 6,
    Industry.SPECIAL_EQUIPMENT: 6,
    Industry.OTHER: 6,
    Industry.TOURISM: 4,
    Industry.GAS: 3,
    Industry.METAL_NONMETAL_MINE: 2,
    Industry.WATERWAY_TRANSPORT: 1.5,
    Industry.FISHING_VESSEL: 1.5,
    Industry.FIREWORKS: 0.5,
    Industry.COAL_MINE: 0.5,
}

# (department name, industries it supervises): one of each per city and per county.
DEPARTMENTS = [
    (
        "应急管理局",
        ["hazardous_chemicals", "industry_trade", "fireworks", "metal_nonmetal_mine", "coal_mine"],
    ),
    ("住房和城乡建设局", ["construction", "gas"]),
    ("交通运输局", ["road_transport", "waterway_transport"]),
    ("消防救援支队", ["fire_safety"]),
    ("市场监督管理局", ["special_equipment"]),
    ("文化和旅游局", ["tourism"]),
    ("农业农村局", ["fishing_vessel", "other"]),
]

TITLES = {
    "hazardous_chemicals": [
        "储罐区可燃气体报警器失效",
        "危化品仓库超量储存",
        "紧急切断阀未投用",
        "动火作业未办理审批",
    ],
    "industry_trade": [
        "粉尘除尘器未设泄爆装置",
        "有限空间作业未检测",
        "冲床光电保护失效",
        "涉氨制冷车间人员超员",
    ],
    "construction": ["深基坑未按方案支护", "脚手架连墙件缺失", "塔吊限位装置失效", "高处作业未系安全带"],
    "fire_safety": ["消防通道被占用", "疏散指示标志损坏", "灭火器过期未更换", "消防控制室无人值守"],
    "road_transport": ["车辆动态监控未接入", "驾驶员超时驾驶", "危货车辆未按规定路线行驶"],
    "special_equipment": ["电梯超期未检验", "压力容器安全阀失效", "起重机械制动器磨损"],
    "gas": ["燃气管道腐蚀泄漏", "餐饮场所未装燃气报警器", "调压箱防护缺失"],
    "tourism": ["游乐设施未定期检测", "景区护栏松动"],
    "metal_nonmetal_mine": ["井下安全出口不足两个", "尾矿库坝坡过陡"],
    "coal_mine": ["瓦斯监控系统故障", "通风系统不完善"],
    "fireworks": ["工房内药量超标", "防静电设施失效"],
    "waterway_transport": ["船舶救生设备不足", "码头装卸作业无监护"],
    "fishing_vessel": ["渔船未配备救生筏", "渔船通导设备故障"],
    "other": ["安全管理制度不健全", "安全培训记录缺失"],
}
NAME_PARTS = ["华", "盛", "兴", "泰", "鑫", "瑞", "宏", "达", "远", "丰", "海", "昌", "恒", "通", "利", "安"]
NAME_KINDS = ["化工", "机械", "建设", "物流", "商贸", "燃气", "旅游", "船舶", "能源", "电子", "食品", "纺织"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗"

STATUS_OLD = [
    ("closed", 94),
    ("cancelled", 4),
    ("reported", 0.5),
    ("rectifying", 1.2),
    ("pending_acceptance", 0.3),
]
STATUS_RECENT = [
    ("reported", 25),
    ("rectifying", 35),
    ("pending_acceptance", 15),
    ("closed", 22),
    ("cancelled", 3),
]
SOURCES = [("inspection", 45), ("self_check", 40), ("public_report", 10), ("other", 5)]
MAJOR_SHARE = 0.03


@dataclass
class Options:
    enterprises: int = 200_000
    hazards: int = 2_000_000
    seed: int = 1
    years: int = 4
    anchor: dt.date | None = None  # "today" of the generated history
    chunk: int = 20_000
    events: bool = True
    inspections: int | None = None  # default: activity.default_inspections(hazards)
    accidents: int | None = None  # default: activity.default_accidents(hazards)
    progress: Callable[[str], None] = field(default=lambda message: None)


@dataclass
class Result:
    regions: int = 0
    organizations: int = 0
    users: int = 0
    enterprises: int = 0
    hazards: int = 0
    events: int = 0
    inspections: int = 0
    team: int = 0
    answers: int = 0
    enforcement: int = 0
    accidents: int = 0
    accident_details: int = 0  # grade changes, report duties, investigations, tracks
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return (
            self.regions
            + self.organizations
            + self.users
            + self.enterprises
            + self.hazards
            + self.events
            + self.inspections
            + self.team
            + self.answers
            + self.enforcement
            + self.accidents
            + self.accident_details
        )


def _weighted(rng: random.Random, pairs):
    values = [v for v, _w in pairs]
    cumulative = []
    total = 0.0
    for _v, w in pairs:
        total += w
        cumulative.append(total)
    draw = rng.random
    return lambda: values[bisect_right(cumulative, draw() * total)]


class Writer:
    """Bulk rows into one table: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self):
        self.vendor = connection.vendor

    def _sqlite_value(self, value):
        if isinstance(value, dt.datetime):
            return connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, (dict, list)):
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, RawJson):
            return str(value)
        return value

    def _types(self, table: str, columns: list[str]) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
                [table],
            )
            oids = dict(cursor.fetchall())
        return [oids[c] for c in columns]

    def write(self, table: str, columns: list[str], rows: Iterable[tuple]) -> int:
        count = 0
        if self.vendor == "postgresql":
            raw = connection.connection
            cols = ", ".join(columns)
            rows = iter(rows)
            first = next(rows, None)
            if first is None:
                return 0
            # JSON columns (dict or list values) are serialized here; every other value goes to
            # psycopg's compiled row writer, which formats the COPY text itself.
            json_at = [i for i, v in enumerate(first) if isinstance(v, (dict, list))]
            types = self._types(table, columns)
            # Binary COPY spares the server parsing text; tables with JSON columns stay on text
            # (the JSON arrives already serialized).
            binary = not json_at and not any(t in (JSON_OID, JSONB_OID) for t in types)
            options = " (FORMAT BINARY)" if binary else ""
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({cols}) FROM STDIN{options}") as copy:  # noqa: S608
                if binary:
                    copy.set_types(types)
                write_row = copy.write_row
                for row in itertools.chain([first], rows):
                    if json_at:
                        row = list(row)
                        for i in json_at:
                            row[i] = json.dumps(row[i], ensure_ascii=False)
                    write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
        batch = []
        raw = connection.connection
        for row in rows:
            batch.append([self._sqlite_value(v) for v in row])
            if len(batch) >= 5000:
                raw.executemany(sql, batch)
                count += len(batch)
                batch.clear()
        if batch:
            raw.executemany(sql, batch)
            count += len(batch)
        return count


JSON_OID, JSONB_OID = 114, 3802


class RawJson(str):
    """A value already serialized as JSON."""


def _next_id(model) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _regions(result: Result) -> dict[str, list[str]]:
    """Liaoning's real top levels from the shipped data, plus synthetic counties and streets
    where the shipped data stops (GB/T 2260 county digits, GB/T 10114 township digits: domain.md
    §7.2). Returns the codes where enterprises sit, per city."""
    existing = {r.code: r for r in Region.objects.filter(code__startswith="21")}
    cities = sorted(c for c in existing if level_of(c) == Level.PREFECTURE)
    new = []

    def add(code: str, name: str, parent: str):
        if code not in existing:
            region = Region(code=code, name=name, parent_id=parent, level=level_of(code), edition=SYNTHETIC)
            existing[code] = region
            new.append(region)

    for city in cities:
        city_name = existing[city].name
        counties = sorted(c for c in existing if len(c) == 6 and c.startswith(city[:4]) and c != city)
        if not counties:
            # 02–06 districts, 21–22 counties, 81 a county-level city.
            for digits in ["02", "03", "04", "05", "06", "21", "22", "81"]:
                kind = "区" if int(digits) <= 20 else ("县" if int(digits) <= 80 else "市")
                add(city[:4] + digits, f"{city_name}合成{digits}{kind}", city)
            counties = [city[:4] + d for d in ["02", "03", "04", "05", "06", "21", "22", "81"]]
        for county in counties:
            if any(len(c) == 9 and c.startswith(county) for c in existing):
                continue
            county_name = existing[county].name
            # 001–099 街道, 100–199 镇, 200–399 乡.
            for digits, kind in [
                ("001", "街道"),
                ("002", "街道"),
                ("003", "街道"),
                ("004", "街道"),
                ("101", "镇"),
                ("102", "镇"),
                ("201", "乡"),
            ]:
                add(county + digits, f"{county_name}合成{digits}{kind}", county)
    Region.objects.bulk_create(new, batch_size=1000)
    result.regions = len(new)
    places: dict[str, list[str]] = {}
    for code in sorted(existing):
        if len(code) == 9:
            places.setdefault(code[:4] + "00", []).append(code)
    return places


def _public_bodies(result: Result) -> dict[str, int]:
    """A committee per province, city and county; departments per city and county; one
    inspector per city emergency department who reports the generated hazards.
    Returns {city code: reporting user id}."""
    existing = set(
        Organization.objects.exclude(kind=Organization.Kind.ENTERPRISE).values_list("region_id", "name")
    )
    areas = list(
        Region.objects.filter(
            code__startswith="21", level__in=[Level.PROVINCE, Level.PREFECTURE, Level.COUNTY]
        )
        .order_by("code")
        .values_list("code", "name", "level")
    )
    new = []
    for code, name, level in areas:
        committee = (code, f"{name}安全生产委员会办公室")
        if committee not in existing:
            new.append(Organization(kind=Organization.Kind.COMMITTEE, name=committee[1], region_id=code))
        if level == Level.PROVINCE:
            continue
        for dept, industries in DEPARTMENTS:
            key = (code, f"{name}{dept}")
            if key not in existing:
                new.append(
                    Organization(
                        kind=Organization.Kind.DEPARTMENT,
                        name=key[1],
                        region_id=code,
                        industries=industries,
                        can_penalize=True,
                    )
                )
    # Explicit ids (sequences are reset at the end): the same run gives the same ids on any
    # database, even after a rolled-back run consumed sequence values.
    first = _next_id(Organization)
    for offset, org in enumerate(new):
        org.pk = first + offset
    Organization.objects.bulk_create(new, batch_size=1000)
    result.organizations = len(new)
    reporters = {}
    users = []
    for code, name, level in areas:
        if level != Level.PREFECTURE:
            continue
        username = f"gen_inspector_{code}"
        user = User.objects.filter(username=username).first()
        if user is None:
            dept = Organization.objects.filter(region_id=code, name=f"{name}应急管理局").first()
            user = User(username=username, name=f"{name}检查员", role=Role.INSPECTOR, organization=dept)
            user.set_unusable_password()
            users.append(user)
        reporters[code] = user
    first = _next_id(User)
    for offset, user in enumerate(users):
        user.pk = first + offset
    User.objects.bulk_create(users)
    result.users = len(users)
    return {code: user.pk for code, user in reporters.items()}


ORG_COLUMNS = [
    "id",
    "kind",
    "name",
    "region_id",
    "parent_id",
    "uscc",
    "uscc_override_reason",
    "industry",
    "address",
    "legal_representative",
    "safety_principal",
    "staff_count",
    "status",
    "industries",
    "can_penalize",
    "created_at",
    "updated_at",
    "version",
]


def _enterprise_rows(rng, options, places, first_id, anchor_time, out: list) -> Iterator[tuple]:
    city_codes = sorted(places)
    # Dalian and Shenyang hold more of the economy than the smaller cities.
    city_pick = _weighted(rng, [(c, 4 if c in ("210100", "210200") else 1) for c in city_codes])
    industry_pick = _weighted(rng, [(k.value, w) for k, w in INDUSTRY_WEIGHTS.items()])
    for i in range(options.enterprises):
        pk = first_id + i
        city = city_pick()
        region = rng.choice(places[city])
        industry = industry_pick()
        name = (
            f"{rng.choice(NAME_PARTS)}{rng.choice(NAME_PARTS)}{NAME_KINDS[pk % len(NAME_KINDS)]}"
            f"有限公司{pk:07d}"
        )
        # Characters 9–16 of the credit code are the enterprise's own serial: unique per id.
        uscc = make_code(f"91{region[:6]}", f"G{pk:07d}")
        out.append((pk, region, industry))
        yield (
            pk,
            "enterprise",
            name,
            region,
            None,
            uscc,
            "",
            industry,
            f"{region}号",
            "",
            "",
            rng.randint(5, 2000),
            "operating",
            [],
            False,
            anchor_time,
            anchor_time,
            1,
        )


HAZARD_COLUMNS = [
    "id",
    "number",
    "enterprise_id",
    "region_id",
    "industry",
    "title",
    "description",
    "location",
    "level",
    "source",
    "status",
    "due_date",
    "responsible_person",
    "expert_id",
    "plan_measures",
    "plan_responsible_person",
    "plan_funds",
    "plan_deadline",
    "plan_contingency",
    "rejection_count",
    "escalation_step",
    "escalated_on",
    "reported_by_id",
    "created_at",
    "updated_at",
    "closed_at",
    "version",
]
EVENT_COLUMNS = [
    "id",
    "at",
    "actor_id",
    "actor_label",
    "subject_type",
    "subject_id",
    "action",
    "from_status",
    "to_status",
    "note",
    "data",
    "prev_hash",
    "hash",
]


class Chain:
    """Appends hazards' creation events to the audit chain, hashed as Event.compute_hash does."""

    # The hashed text of such an event: audit's own, with the varying fields left as slots.
    TEMPLATE = canonical_template(
        actor_id=None,
        actor_label="",
        subject_type=SubjectType.HAZARD.value,
        action="create",
        from_status="",
        note="",
    )

    def __init__(self, head: ChainHead):
        self.last_id, self.last_hash = head.last_id, head.last_hash
        self.rows: list[tuple] = []

    def add(self, at: dt.datetime, subject_id: int, to_status: str, data_json: str):
        """`data_json` is the event's data as canonical JSON (sorted keys, no spaces; see
        _hazard_rows): filling the template costs a fraction of json.dumps over millions of
        events."""
        event_id = self.last_id + 1
        canonical = self.TEMPLATE.format(
            event_id=event_id,
            at=canonical_time(at),
            data=data_json,
            prev_hash=self.last_hash,
            subject_id=subject_id,
            to_status=to_status,
        )
        digest = hashlib.sha256(canonical.encode()).hexdigest()
        self.rows.append(
            (
                event_id,
                at,
                None,
                "",
                SubjectType.HAZARD.value,
                str(subject_id),
                "create",
                "",
                to_status,
                "",
                RawJson(data_json),
                self.last_hash,
                digest,
            )
        )
        self.last_id, self.last_hash = event_id, digest


def _hazard_rows(rng, options, enterprises, reporters, first_id, counters, anchor, chain) -> Iterator[tuple]:
    """Hazards in creation order over `years` up to the anchor day, so ids grow with time."""
    n = options.hazards
    span = options.years * 365 * 86400
    start = dt.datetime.combine(anchor, dt.time(9), tzinfo=dt.UTC) - dt.timedelta(seconds=span)
    old_pick = _weighted(rng, STATUS_OLD)
    recent_pick = _weighted(rng, STATUS_RECENT)
    source_pick = _weighted(rng, SOURCES)
    count = len(enterprises)
    draw = rng.random
    # Index draws instead of rng.choice: one call to random() each, same seed → same rows.
    due_in = [dt.timedelta(days=d) for d in (7, 15, 30, 30, 60, 90)]
    surnames, n_surnames, n_parts = list(SURNAMES), len(SURNAMES), len(NAME_PARTS)
    for i in range(n):
        pk = first_id + i
        # Skew: a few enterprises carry many hazards, most carry few.
        ent_id, region, industry = enterprises[int(count * draw() ** 3)]
        created = start + dt.timedelta(seconds=int(span * i / n) + int(draw() * 3600))
        created_day = created.date()
        due = created_day + due_in[int(draw() * 6)]
        age = (anchor - created_day).days
        status = old_pick() if age > 120 else recent_pick()
        level = "major" if draw() < MAJOR_SHARE else "general"
        source = source_pick()
        year = created_day.year
        key = (region, year)
        counters[key] = counters.get(key, 0) + 1
        number = f"YH{region}-{year}-{counters[key]:06d}"
        titles = TITLES[industry]
        title = titles[int(draw() * len(titles))]
        person = surnames[int(draw() * n_surnames)] + NAME_PARTS[int(draw() * n_parts)]
        closed_at = None
        version = 1
        if status in ("rectifying", "pending_acceptance", "closed"):
            version += 1 + (status != "rectifying") + (status == "closed")
        if status == "cancelled":
            version += 1
        if status == "closed":
            days = int(draw() * max(1, min((due - created_day).days + 10, age)))
            closed_at = created + dt.timedelta(days=days, hours=1 + int(draw() * 8))
        updated = closed_at or created
        planned = level == "major" and status != "reported"
        if chain is not None:
            # Keys sorted; the values hold no quotes, backslashes or control characters.
            chain.add(
                created,
                pk,
                status,
                f'{{"due_date":"{due.isoformat()}","level":"{level}","number":"{number}",'
                f'"source":"{source}","synthetic":true,"title":"{title}"}}',
            )
        yield (
            pk,
            number,
            ent_id,
            region,
            industry,
            title,
            f"{title}，需限期整改。",
            "",
            level,
            source,
            status,
            due,
            person if status != "reported" else "",
            None,
            "停产整改并落实防护措施" if planned else "",
            person if planned else "",
            Decimal(rng.randint(1, 500) * 1000) if planned else None,
            due if planned else None,
            "已制定应急预案" if planned else "",
            0,
            0,
            None,
            reporters[region[:4] + "00"],
            created,
            updated,
            closed_at,
            version,
        )


def _chunks(rows: Iterator[tuple], size: int) -> Iterator[list[tuple]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _bulk_mode():
    """On PostgreSQL, skip per-row triggers while loading: the tally trigger (one GROUP BY at
    the end refills it) and the deferred per-row foreign-key checks (replaced by set-based
    checks in _check_references). Needs a superuser, as bulk loading usually does."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Run the foreign-key checks already queued (by an enclosing transaction's writes):
            # PostgreSQL refuses to alter a table with pending trigger events.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL synchronous_commit = off")


BULK_TABLES = ["hazards_hazard", "audit_event"]


def _end_bulk_mode():
    """Back to normal triggers for whatever else the enclosing transaction does."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _drop_indexes(tables: list[str]) -> list[str]:
    """Drop every index but the primary keys of `tables` and return the statements that
    rebuild them: one sorted build per index beats millions of incremental inserts."""
    if connection.vendor != "postgresql":
        return []
    rebuild, drop = [], []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, i.relname, pg_get_indexdef(i.oid), con.conname, pg_get_constraintdef(con.oid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class c ON c.oid = x.indrelid
            LEFT JOIN pg_constraint con ON con.conindid = i.oid AND con.contype IN ('u', 'p')
            WHERE c.relname = ANY(%s) AND NOT x.indisprimary
            """,
            [tables],
        )
        for table, index, indexdef, constraint, constraintdef in cursor.fetchall():
            if constraint:
                drop.append(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
                rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" {constraintdef}')
            else:
                drop.append(f'DROP INDEX "{index}"')
                rebuild.append(indexdef)
        for sql in drop:
            cursor.execute(sql)
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    return rebuild


def _rebuild_indexes(statements: list[str], say):
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    if statements:
        say(f"rebuilt {len(statements)} indexes")


REFERENCES = [
    ("orgs_organization", "region_id", "regions_region", "code"),
    ("hazards_hazard", "enterprise_id", "orgs_organization", "id"),
    ("hazards_hazard", "region_id", "regions_region", "code"),
    ("hazards_hazard", "reported_by_id", "orgs_user", "id"),
]


def _check_references(firsts: dict[str, int]):
    """`firsts`: the first generated id of each table checked."""
    if connection.vendor != "postgresql":
        return  # SQLite checked every row's foreign keys itself
    with connection.cursor() as cursor:
        for table, column, target, key in REFERENCES + activity.REFERENCES:
            first = firsts[table]
            cursor.execute(
                f"SELECT COUNT(*) FROM {table} t WHERE t.id >= %s AND t.{column} IS NOT NULL "  # noqa: S608
                f"AND NOT EXISTS (SELECT 1 FROM {target} r WHERE r.{key} = t.{column})",
                [first],
            )
            (orphans,) = cursor.fetchone()
            if orphans:
                raise RuntimeError(f"{orphans} generated rows of {table} point to no {target}")


def generate(options: Options) -> Result:
    started = time.monotonic()
    rng = random.Random(options.seed)
    anchor = options.anchor or timezone.localdate()
    anchor_time = dt.datetime.combine(anchor, dt.time(8), tzinfo=dt.UTC)
    result = Result()
    say = options.progress
    writer = Writer()
    with transaction.atomic():
        _bulk_mode()
        head = lock_chain_head()  # held to the end: the generated events continue the chain
        places = _regions(result)
        reporters_by_city = _public_bodies(result)
        reporters = {code[:4] + "00": uid for code, uid in reporters_by_city.items()}
        say(f"regions +{result.regions}, public bodies +{result.organizations}")

        enterprises: list[tuple[int, str, str]] = []
        first_org = _next_id(Organization)
        for chunk in _chunks(
            _enterprise_rows(rng, options, places, first_org, anchor_time, enterprises), options.chunk
        ):
            result.enterprises += writer.write("orgs_organization", ORG_COLUMNS, chunk)
            say(f"enterprises {result.enterprises:,}/{options.enterprises:,}")

        counters = {
            (region, year): last
            for region, year, last in HazardCounter.objects.select_for_update().values_list(
                "region_id", "year", "last"
            )
        }
        chain = Chain(head) if options.events else None
        # Worth it when the load is large next to what the tables already hold.
        rebuild = _drop_indexes(BULK_TABLES) if options.hazards >= Hazard.objects.count() else []
        first_hazard = _next_id(Hazard)
        rows = _hazard_rows(rng, options, enterprises, reporters, first_hazard, counters, anchor, chain)
        for chunk in _chunks(rows, options.chunk):
            result.hazards += writer.write("hazards_hazard", HAZARD_COLUMNS, chunk)
            if chain is not None:
                result.events += writer.write("audit_event", EVENT_COLUMNS, chain.rows)
                chain.rows = []
            rate = result.rows / max(time.monotonic() - started, 1e-6)
            say(f"hazards {result.hazards:,}/{options.hazards:,}  ({rate:,.0f} rows/s)")
        _rebuild_indexes(rebuild, say)
        staff = activity.inspectors(result)
        sizes = {
            "seed": options.seed,
            "years": options.years,
            "anchor": anchor,
            "enterprises": enterprises,
            "staff": staff,
            "writer": writer,
            "result": result,
            "say": say,
        }
        inspections = options.inspections
        if inspections is None:
            inspections = activity.default_inspections(options.hazards)
        accidents = options.accidents
        if accidents is None:
            accidents = activity.default_accidents(options.hazards)
        firsts = activity.inspections_and_enforcement(count=inspections, chunk=options.chunk, **sizes)
        firsts |= activity.accidents(count=accidents, **sizes)
        _end_bulk_mode()
        _check_references(
            {"orgs_organization": first_org, "hazards_hazard": first_hazard}
            | {table: firsts[key] for table, key in activity.TABLE_FIRST.items()}
        )
        tally.refill()
        if chain is not None and result.events:
            ChainHead.objects.filter(pk=1).update(last_id=chain.last_id, last_hash=chain.last_hash)
        # Later registrations continue the numbering after the generated ones (the counters
        # only grew from the locked values read at the start).
        HazardCounter.objects.bulk_create(
            [HazardCounter(region_id=r, year=y, last=last) for (r, y), last in counters.items()],
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["region", "year"],
            update_fields=["last"],
        )
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [Organization, User, Hazard, *activity.MODELS]
            ):
                cursor.execute(sql)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Fresh statistics for the planner, and a visibility map so that counts over the
        # open-hazard index are index-only scans.
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM (ANALYZE) hazards_hazard, audit_event, orgs_organization, scale_hazardtally, "
                "inspections_inspection, inspections_enforcement"
            )
            cursor.execute(
                "ANALYZE regions_region, orgs_user, inspections_inspection_team, inspections_answer, "
                "accidents_accident, accidents_gradechange, accidents_reportduty, accidents_investigation, "
                "accidents_track"
            )
    result.seconds = time.monotonic() - started
    return result


__all__ = ["Options", "Result", "generate"]
