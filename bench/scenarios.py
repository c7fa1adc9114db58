# ruff: noqa: S608  (SQL assembled from constants of this module; values are always parameters)
"""The scenarios of bench.bench: each an application path and raw SQL doing the same work."""

import datetime as dt
import http.client
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from worksafe.audit.models import Event
from worksafe.core.pagination import encode_cursor
from worksafe.hazards.models import Hazard
from worksafe.hazards.selectors import home_counts
from worksafe.hazards.services import escalation_sweep
from worksafe.orgs.models import Organization, Role, User
from worksafe.regions.models import subtree_range
from worksafe.testing import bearer

OPEN = [str(s) for s in Hazard.OPEN_STATUSES]
SEARCH = "消防通道"
NOTES = Path(__file__).resolve().parent / "notes.md"


@dataclass
class Scenario:
    name: str
    app: Callable[[], object]
    raw: Callable[[], object]
    rows: Callable[[object], int]
    reps: int | None = None
    before: Callable[[], None] | None = None  # untimed preparation of each run
    agree: Callable[[object, object], bool] | None = None
    warmups: int = 2


def _user(username: str, role: str, org: Organization) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=role, organization=org, name=username)
        user.set_unusable_password()
        user.save()
    return user


def _org(kind: str, region: str, suffix: str) -> Organization:
    return (
        Organization.objects.filter(kind=kind, region_id=region, name__endswith=suffix).order_by("pk").first()
    )


@dataclass
class Actor:
    user: User
    client: Client
    token: str
    scope_sql: str  # condition on alias h
    scope_params: list


@dataclass
class BenchWorld:
    province: Actor
    city: Actor
    district: Actor
    inspector: Actor
    officer: Actor
    total_hazards: int
    max_id: int
    server_version: str
    enterprise_for_create: int
    plans: dict = field(default_factory=dict)

    @classmethod
    def build(cls) -> "BenchWorld":
        def actor(user, sql, params):
            token = bearer(user)
            client = Client(SERVER_NAME="localhost", headers={"Authorization": f"Bearer {token}"})
            return Actor(user, client, token, sql, params)

        def region_actor(name, code):
            org = _org(Organization.Kind.COMMITTEE, code, "安全生产委员会办公室")
            low, high = subtree_range(code)
            return actor(_user(name, Role.OFFICE, org), "h.region_id >= %s AND h.region_id < %s", [low, high])

        dept = _org(Organization.Kind.DEPARTMENT, "210200", "应急管理局")
        low, high = subtree_range("210200")
        inspector = actor(
            _user("bench_inspector", Role.INSPECTOR, dept),
            "h.region_id >= %s AND h.region_id < %s AND h.industry = ANY(%s)",
            [low, high, list(dept.industries)],
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT enterprise_id FROM hazards_hazard GROUP BY enterprise_id ORDER BY COUNT(*) DESC, "
                "enterprise_id LIMIT 1"
            )
            (busiest,) = cursor.fetchone()
            cursor.execute("SELECT COUNT(*), MAX(id) FROM hazards_hazard")
            total, max_id = cursor.fetchone()
            cursor.execute("SHOW server_version")
            (version,) = cursor.fetchone()
        officer_org = Organization.objects.get(pk=busiest)
        officer = actor(
            _user(f"bench_officer_{busiest}", Role.ENTERPRISE_OFFICER, officer_org),
            "h.enterprise_id = %s",
            [busiest],
        )
        enterprise = (
            Organization.objects.filter(
                kind="enterprise", industry="hazardous_chemicals", region__code__startswith="2102"
            )
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        return cls(
            province=region_actor("bench_office_210000", "210000"),
            city=region_actor("bench_office_210200", "210200"),
            district=region_actor("bench_office_210211", "210211"),
            inspector=inspector,
            officer=officer,
            total_hazards=total,
            max_id=max_id,
            server_version=version.split()[0],
            enterprise_for_create=enterprise,
        )


def vacuum() -> None:
    """Clear what earlier runs (sweeps and their resets) left behind, as autovacuum would in
    time, so that each scenario meets tidy tables and a current visibility map."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) hazards_hazard, audit_event, scale_hazardtally, orgs_apitoken")


def _get(client: Client, path: str, **params) -> dict:
    response = client.get(path, params)
    if response.status_code != 200:
        raise SystemExit(f"GET {path} {params} answered {response.status_code}: {response.content[:300]!r}")
    return response.json()


def _fetch(sql: str, params) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


LIST_SQL = (
    "SELECT h.*, e.name FROM hazards_hazard h JOIN orgs_organization e ON e.id = h.enterprise_id "
    "WHERE {where} ORDER BY h.id DESC LIMIT 51"
)


def list_scenario(world, name, actor: Actor, extra_sql="", extra_params=(), **query) -> Scenario:
    where = actor.scope_sql + extra_sql
    params = [*actor.scope_params, *extra_params]

    def app():
        return [item["id"] for item in _get(actor.client, "/api/v1/hazards", **query)["items"]]

    def raw():
        return [row[0] for row in _fetch(LIST_SQL.format(where=where), params)[:50]]

    _explain(world, name, lambda: actor.client.get("/api/v1/hazards", query))
    return Scenario(name, app, raw, rows=len)


def _explain(world, name, call):
    """The plan PostgreSQL picks for the application's own list query."""
    with CaptureQueriesContext(connection) as captured:
        call()
    sql = next((q["sql"] for q in captured.captured_queries if 'FROM "hazards_hazard"' in q["sql"]), None)
    if sql:
        # The captured text has its values inlined: a LIKE pattern's % is not a placeholder.
        plan = _fetch("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql.replace("%", "%%"), [])
        world.plans[name] = [row[0] for row in plan]


STATS_SQL = (
    "SELECT COUNT(*), "
    + ", ".join(f"COUNT(*) FILTER (WHERE h.status = '{s}')" for s in Hazard.Status.values)
    + ", "
    + ", ".join(f"COUNT(*) FILTER (WHERE h.level = '{lv}')" for lv in Hazard.Level.values)
    + ", COUNT(*) FILTER (WHERE h.status = ANY(%s) AND h.due_date < %s) FROM hazards_hazard h WHERE {where}"
)


def stats_scenario(name, actor: Actor, region: str) -> Scenario:
    low, high = subtree_range(region)

    def app():
        return _get(actor.client, "/api/v1/stats/hazards", region=region)

    def raw():
        today = timezone.localdate()
        row = _fetch(
            STATS_SQL.format(where=actor.scope_sql + " AND h.region_id >= %s AND h.region_id < %s"),
            [OPEN, today, *actor.scope_params, low, high],
        )[0]
        statuses, levels = Hazard.Status.values, Hazard.Level.values
        return {
            "total": row[0],
            "by_status": dict(zip(statuses, row[1 : 1 + len(statuses)], strict=True)),
            "by_level": dict(zip(levels, row[1 + len(statuses) : -1], strict=True)),
            "overdue": row[-1],
        }

    return Scenario(name, app, raw, rows=lambda result: result["total"])


HOME_SQL = (
    "SELECT COUNT(*) FILTER (WHERE h.status = ANY(%s)), COUNT(*) FILTER (WHERE h.status = ANY(%s) AND h.due_date < %s), "
    "COUNT(*) FILTER (WHERE h.status = ANY(%s) AND h.level = 'major'), "
    "COUNT(*) FILTER (WHERE h.status = ANY(%s) AND h.due_date >= %s AND h.due_date <= %s), "
    "COUNT(*) FILTER (WHERE h.status = 'pending_acceptance') FROM hazards_hazard h WHERE {where}"
)


def home_scenario(name, actor: Actor) -> Scenario:
    def app():
        return home_counts(visible_to=actor.user)

    def raw():
        today = timezone.localdate()
        row = _fetch(
            HOME_SQL.format(where=actor.scope_sql),
            [OPEN, OPEN, today, OPEN, OPEN, today, today + dt.timedelta(days=7), *actor.scope_params],
        )[0]
        return dict(
            zip(["open", "overdue", "major", "due_this_week", "pending_acceptance"], row, strict=True)
        )

    return Scenario(name, app, raw, rows=lambda result: result["open"])


def detail_scenario(world, actor: Actor) -> Scenario:
    hazard_id = _fetch(
        f"SELECT h.id FROM hazards_hazard h WHERE {actor.scope_sql} ORDER BY h.id DESC LIMIT 1 OFFSET 100",
        actor.scope_params,
    )[0][0]

    def app():
        hazard = _get(actor.client, f"/api/v1/hazards/{hazard_id}")
        events = _get(actor.client, f"/api/v1/hazards/{hazard_id}/events")["items"]
        return hazard["id"], hazard["status"], [e["id"] for e in events]

    def raw():
        row = _fetch(
            "SELECT h.id, h.status, h.*, e.name FROM hazards_hazard h "
            f"JOIN orgs_organization e ON e.id = h.enterprise_id WHERE h.id = %s AND {actor.scope_sql}",
            [hazard_id, *actor.scope_params],
        )[0]
        events = _fetch(
            "SELECT id, at, actor_label, action, from_status, to_status, note, data FROM audit_event "
            "WHERE subject_type = 'hazard' AND subject_id = %s ORDER BY id",
            [str(hazard_id)],
        )
        return row[0], row[1], [e[0] for e in events]

    return Scenario("hazard detail + timeline (district office)", app, raw, rows=lambda r: 1 + len(r[2]))


def _raw_event(cursor, *, subject_id, action, from_status, to_status, data, actor: User):
    """Append one chained event by hand: the same rows the audit service writes."""
    cursor.execute("SELECT last_id, last_hash FROM audit_chainhead WHERE id = 1 FOR UPDATE")
    last_id, last_hash = cursor.fetchone()
    event = Event(
        id=last_id + 1,
        at=timezone.now(),
        actor_id=actor.pk,
        actor_label=actor.username,
        subject_type="hazard",
        subject_id=str(subject_id),
        action=action,
        from_status=from_status,
        to_status=to_status,
        note="",
        data=data,
        prev_hash=last_hash,
    )
    event.hash = event.compute_hash()
    cursor.execute(
        "INSERT INTO audit_event (id, at, actor_id, actor_label, subject_type, subject_id, action, from_status, "
        "to_status, note, data, prev_hash, hash) VALUES (%s, %s, %s, %s, 'hazard', %s, %s, %s, %s, '', %s, %s, %s)",
        [
            event.id,
            event.at,
            actor.pk,
            actor.username,
            str(subject_id),
            action,
            from_status,
            to_status,
            json.dumps(data, ensure_ascii=False),
            last_hash,
            event.hash,
        ],
    )
    cursor.execute(
        "UPDATE audit_chainhead SET last_id = %s, last_hash = %s WHERE id = 1", [event.id, event.hash]
    )


def create_scenario(world) -> Scenario:
    actor = world.inspector
    enterprise = Organization.objects.get(pk=world.enterprise_for_create)

    def app():
        due = timezone.localdate() + dt.timedelta(days=30)
        response = actor.client.post(
            "/api/v1/hazards",
            json.dumps(
                {
                    "enterprise": enterprise.pk,
                    "title": "压力表超期未校验",
                    "level": "general",
                    "source": "inspection",
                    "due_date": due.isoformat(),
                }
            ),
            content_type="application/json",
        )
        if response.status_code != 201:
            raise SystemExit(f"create answered {response.status_code}: {response.content[:300]!r}")
        body = response.json()
        return body["enterprise"], body["region"], body["status"], body["number"][:-6]

    def raw():
        today = timezone.localdate()
        due = today + dt.timedelta(days=30)
        now = timezone.now()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM orgs_organization o WHERE o.id = %s AND o.kind = 'enterprise' "
                "AND o.region_id >= %s AND o.region_id < %s AND o.industry = ANY(%s)",
                [enterprise.pk, *actor.scope_params],
            )
            cursor.fetchone()
            cursor.execute(
                "INSERT INTO hazards_hazardcounter (region_id, year, last) VALUES (%s, %s, 1) "
                "ON CONFLICT (region_id, year) DO UPDATE SET last = hazards_hazardcounter.last + 1 RETURNING last",
                [enterprise.region_id, today.year],
            )
            number = f"YH{enterprise.region_id}-{today.year}-{cursor.fetchone()[0]:06d}"
            cursor.execute(
                "INSERT INTO hazards_hazard (number, enterprise_id, region_id, industry, title, description, "
                "location, level, source, status, due_date, responsible_person, plan_measures, "
                "plan_responsible_person, plan_contingency, rejection_count, escalation_step, reported_by_id, "
                "created_at, updated_at, version) VALUES (%s, %s, %s, %s, %s, '', '', 'general', 'inspection', "
                "'reported', %s, '', '', '', '', 0, 0, %s, %s, %s, 1) RETURNING id",
                [
                    number,
                    enterprise.pk,
                    enterprise.region_id,
                    enterprise.industry,
                    "压力表超期未校验",
                    due,
                    actor.user.pk,
                    now,
                    now,
                ],
            )
            (pk,) = cursor.fetchone()
            _raw_event(
                cursor,
                subject_id=pk,
                action="create",
                from_status="",
                to_status="reported",
                data={
                    "number": number,
                    "level": "general",
                    "source": "inspection",
                    "due_date": due.isoformat(),
                    "title": "压力表超期未校验",
                },
                actor=actor.user,
            )
        return enterprise.pk, enterprise.region_id, "reported", number[:-6]

    return Scenario("create a hazard (inspector)", app, raw, rows=lambda r: 1)


def transition_scenario(world, reps: int) -> Scenario:
    actor = world.province
    pool = [
        row[0]
        for row in _fetch(
            "SELECT h.id FROM hazards_hazard h WHERE h.status = 'reported' AND h.level = 'general' "
            "ORDER BY h.id DESC LIMIT %s",
            [2 * (reps + 4)],
        )
    ]
    current = {}

    def before():
        current["id"] = pool.pop()

    def app():
        pk = current["id"]
        version = Hazard.objects.values_list("version", flat=True).get(pk=pk)
        response = actor.client.post(
            f"/api/v1/hazards/{pk}/transition",
            json.dumps({"action": "assign", "version": version, "responsible_person": "王五"}),
            content_type="application/json",
        )
        if response.status_code != 200:
            raise SystemExit(f"transition answered {response.status_code}: {response.content[:300]!r}")
        body = response.json()
        return body["status"], body["version"] - version

    def raw():
        pk = current["id"]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT h.status, h.version FROM hazards_hazard h WHERE h.id = %s AND {actor.scope_sql} FOR UPDATE",
                [pk, *actor.scope_params],
            )
            status, version = cursor.fetchone()
            cursor.execute(
                "UPDATE hazards_hazard SET status = 'rectifying', responsible_person = %s, version = version + 1, "
                "updated_at = %s WHERE id = %s AND version = %s",
                ["王五", timezone.now(), pk, version],
            )
            _raw_event(
                cursor,
                subject_id=pk,
                action="assign",
                from_status=status,
                to_status="rectifying",
                data={"responsible_person": "王五"},
                actor=actor.user,
            )
        return "rectifying", 1

    return Scenario("transition: assign (province office)", app, raw, rows=lambda r: 1, before=before)


def sweep_scenario(world) -> Scenario:
    ladder = settings.WORKSAFE_ESCALATION_LADDER
    days = " ".join(f"WHEN {step} THEN {min_days}" for step, (_c, min_days, _l) in enumerate(ladder))

    def reset():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE hazards_hazard SET escalation_step = 0, escalated_on = NULL WHERE escalated_on IS NOT NULL"
            )

    def app():
        return escalation_sweep()

    def raw():
        today = timezone.localdate()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE hazards_hazard SET escalation_step = escalation_step + 1, escalated_on = %s "
                "WHERE status = ANY(%s) AND escalation_step < %s AND escalated_on IS DISTINCT FROM %s "
                f"AND due_date <= %s::date - (CASE escalation_step {days} END)",
                [today, OPEN, len(ladder), today, today],
            )
            return cursor.rowcount

    return Scenario(
        "escalation sweep (every overdue hazard)", app, raw, rows=lambda r: r, reps=3, before=reset
    )


def floor_scenario(world) -> Scenario:
    pk = world.max_id // 2

    def app():
        return json.loads(world.province.client.get(f"/bench/floor/{pk}").content)["id"]

    def raw():
        return _fetch("SELECT id, number, status FROM hazards_hazard WHERE id = %s", [pk])[0][0]

    return Scenario("framework floor (pk lookup view)", app, raw, rows=lambda r: 1)


def all_scenarios(world: BenchWorld) -> list[Scenario]:
    reps = 15
    deep = encode_cursor(world.max_id // 2)
    return [
        floor_scenario(world),
        list_scenario(world, "list p1: province office", world.province),
        list_scenario(world, "list p1: district office", world.district),
        list_scenario(
            world,
            "list p1: inspector, industry filter",
            world.inspector,
            " AND h.industry = %s",
            ["hazardous_chemicals"],
            industry="hazardous_chemicals",
        ),
        list_scenario(world, "list p1: enterprise officer", world.officer),
        list_scenario(
            world,
            f"list p1: province office, search “{SEARCH}”",
            world.province,
            " AND (UPPER(h.title) LIKE %s OR UPPER(h.description) LIKE %s OR UPPER(h.number) LIKE %s"
            " OR UPPER(h.location) LIKE %s OR UPPER(e.name) LIKE %s)",
            [f"%{SEARCH}%"] * 5,
            q=SEARCH,
        ),
        list_scenario(
            world,
            "list deep page by cursor: province office",
            world.province,
            " AND h.id < %s",
            [world.max_id // 2],
            cursor=deep,
        ),
        stats_scenario("stats: province", world.province, "210000"),
        stats_scenario("stats: city", world.city, "210200"),
        stats_scenario("stats: district", world.district, "210211"),
        home_scenario("home counts: province office", world.province),
        home_scenario("home counts: district office", world.district),
        home_scenario("home counts: inspector", world.inspector),
        home_scenario("home counts: enterprise officer", world.officer),
        detail_scenario(world, world.district),
        create_scenario(world),
        transition_scenario(world, reps),
        sweep_scenario(world),
    ]


def http_scenarios(world: BenchWorld, port: int) -> list[Scenario]:
    def get(actor: Actor, path: str) -> dict:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", path, headers={"Authorization": f"Bearer {actor.token}", "Host": "localhost"})
        response = conn.getresponse()
        body = response.read()
        conn.close()
        if response.status != 200:
            raise SystemExit(f"HTTP GET {path} answered {response.status}: {body[:300]!r}")
        return json.loads(body)

    district = world.district
    listing = list_scenario(world, "HTTP list p1: district office", district)
    listing.app = lambda: [item["id"] for item in get(district, "/api/v1/hazards")["items"]]
    stats = stats_scenario("HTTP stats: province", world.province, "210000")
    stats.app = lambda: get(world.province, "/api/v1/stats/hazards?region=210000")
    return [listing, stats]


TARGETS = [
    ("stats", "app ≤ 1.2 × raw"),
    ("home counts", "app ≤ 1.2 × raw"),
    ("list", "app ≤ 2 × framework floor"),
    ("hazard detail", "app ≤ 2 × framework floor (two requests: ≤ 4 ×)"),
    ("escalation sweep", "app ≤ 1.5 × raw"),
]


def verdict(row: dict, floor: float) -> str:
    name, app = row["scenario"], row["app_p50_ms"]
    if name.startswith(("stats", "home counts", "HTTP stats")):
        return f"{'met' if row['ratio'] <= 1.2 else 'MISSED'} (≤ 1.2 × raw)"
    if name.startswith(("list", "HTTP list")):
        limit = 2 * floor
        return f"{'met' if app <= limit else 'MISSED'} (≤ 2 × floor = {limit:.2f} ms)"
    if name.startswith("hazard detail"):
        limit = 4 * floor
        return f"{'met' if app <= limit else 'MISSED'} (two requests ≤ 2 × floor each = {limit:.2f} ms)"
    if name.startswith("escalation"):
        return f"{'met' if row['ratio'] <= 1.5 else 'MISSED'} (≤ 1.5 × raw)"
    return ""


def markdown(rows: list[dict], meta: dict) -> str:
    floor = meta["floor_p50_ms"]
    lines = [
        "# Benchmark results",
        "",
        f"{meta['hazards']:,} hazards on {meta['database']}, Python {meta['python']}, {meta['cpus']} CPUs, "
        f"{meta['reps']} timed runs per scenario after 2 warm-up runs (the sweep: 3 runs, no warm-up), {meta['at']}.",
        "",
        "App = the real endpoint through Django's test client (or the real selector/service); raw = hand-written "
        "SQL doing the same work on the same connection, checked to return the same rows or numbers. "
        "HTTP rows go through gunicorn (2 sync workers) on loopback; their raw column is the in-process SQL.",
        "",
        "| scenario | rows | app p50 ms | app p95 ms | raw p50 ms | app/raw | target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['scenario']} | {row['rows']:,} | {row['app_p50_ms']:.2f} | {row['app_p95_ms']:.2f} | "
            f"{row['raw_p50_ms']:.2f} | {row['ratio']} | {verdict(row, floor)} |"
        )
    lines += ["", "## Query plans of the list pages (EXPLAIN ANALYZE of the application's own SQL)", ""]
    for name, plan in meta["plans"].items():
        lines += [f"**{name}**", "", "```", *plan[:12], "```", ""]
    if NOTES.exists():
        lines += ["", NOTES.read_text()]
    return "\n".join(lines) + "\n"
