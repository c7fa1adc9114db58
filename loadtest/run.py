"""Bounded load test: the app under gunicorn on loopback, PostgreSQL from DATABASE_URL, demo data.

Many concurrent users mix reads (lists, details, statistics) and writes (hazards reported and
their plans filled) for a fixed time. Reports throughput and p50/p95/p99 latency, then counts
rows and audit events in the database and compares them with the successful write answers:
the run fails on any error, any lost write or a broken audit chain.

    make loadtest                     # 40 users, 120 s
    LOAD_USERS=80 LOAD_SECONDS=300 make loadtest
"""

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "WorkSafe-demo-2026"  # noqa: S105 - the demo accounts load_demo prints
READERS = ["office", "leader", "office_gjz", "inspector", "inspector_build", "officer", "officer_b", "expert"]
WRITERS = ["officer", "officer_b", "office"]


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One keep-alive connection per simulated user."""

    def __init__(self, port: int, token: str | None = None):
        self.port, self.token = port, token
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body=None):
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        payload = None
        if body is not None:
            payload = json.dumps(body)
            headers["Content-Type"] = "application/json"
        for attempt in range(2):
            try:
                self.conn.request(method, path, payload, headers)
                response = self.conn.getresponse()
                data = response.read()
                return response.status, (json.loads(data) if data and data[:1] in b"{[" else None)
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        raise RuntimeError("unreachable")


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.status = Counter()
        self.errors: list[str] = []
        self.created = 0
        self.planned = 0

    def record(self, name: str, seconds: float, status: int, ok: bool, detail: str = ""):
        with self.lock:
            self.latency[name].append(seconds)
            self.status[status] += 1
            if not ok:
                self.errors.append(f"{name}: {status} {detail}"[:300])


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
    return ordered[index]


def user_loop(port, username, token, deadline, stats: Stats, context: dict, seed: int):
    rnd = random.Random(seed)
    client = Client(port, token)
    me = context["me"][username]
    mine: list[list[int]] = []  # [hazard id, version] of hazards this user created
    writer = username in WRITERS
    while time.monotonic() < deadline:
        roll = rnd.random()
        if writer and roll < 0.12:
            enterprise = (
                me["organization"]
                if me["role"] == "enterprise_officer"
                else rnd.choice(context["enterprises"])
            )
            body = {
                "enterprise": enterprise,
                "title": f"压力测试隐患 {username} {rnd.randrange(10**6)}",
                "level": "general",
                "source": "self_check" if me["role"] == "enterprise_officer" else "inspection",
                "due_date": (date.today() + timedelta(days=30)).isoformat(),
                "description": "load",
            }
            name, method, path = "POST /hazards", "POST", "/api/v1/hazards"
        elif writer and roll < 0.20 and mine:
            entry = rnd.choice(mine)
            body = {"version": entry[1], "measures": f"措施 {rnd.randrange(10**6)}"}
            name, method, path = "POST /hazards/{id}/plan", "POST", f"/api/v1/hazards/{entry[0]}/plan"
        else:
            body = None
            method = "GET"
            pick = rnd.random()
            if pick < 0.45:
                name, path = "GET /hazards", "/api/v1/hazards?" + urlencode({"limit": 20})
            elif pick < 0.65 and context["visible"][username]:
                name, path = (
                    "GET /hazards/{id}",
                    f"/api/v1/hazards/{rnd.choice(context['visible'][username])}",
                )
            elif pick < 0.8:
                name, path = "GET /stats/hazards", "/api/v1/stats/hazards?region=210200"
            elif pick < 0.9:
                name, path = "GET /organizations", "/api/v1/organizations?limit=20"
            else:
                name, path = "GET /users/me", "/api/v1/users/me"
        started = time.perf_counter()
        try:
            status, data = client.request(method, path, body)
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            stats.record(name, time.perf_counter() - started, 0, False, repr(exc))
            continue
        elapsed = time.perf_counter() - started
        expected = 201 if name == "POST /hazards" else 200
        if name == "GET /stats/hazards" and status == 404:
            expected = 404  # the region lies outside this user's area: a correct answer
        ok = status == expected
        stats.record(name, elapsed, status, ok, json.dumps(data, ensure_ascii=False)[:200] if not ok else "")
        if ok and name == "POST /hazards":
            mine.append([data["id"], data["version"]])
            with stats.lock:
                stats.created += 1
        elif ok and name.startswith("POST /hazards/{id}/plan"):
            entry[1] = data["version"]
            with stats.lock:
                stats.planned += 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOAD_USERS", "40")))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("LOAD_SECONDS", "120")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("LOAD_WORKERS", "3")))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("LOAD_THREADS", "4")))
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print(
            "The load test needs PostgreSQL: set DATABASE_URL=postgres://user@host:port/name", file=sys.stderr
        )
        return 2
    ensure_database(url)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "worksafe.settings.dev", "DEBUG": "0"}
    python = sys.executable
    for command in (["migrate", "--noinput", "-v", "0"], ["load_demo"], ["axes_reset", "-v", "0"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603

    os.environ.update({"DJANGO_SETTINGS_MODULE": "worksafe.settings.dev", "DEBUG": "0"})
    import django

    django.setup()
    from worksafe.audit.models import Event
    from worksafe.audit.services import verify_chain
    from worksafe.hazards.models import Hazard

    port = free_port()
    server_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "worksafe.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "ERROR",
        "PYTHONWARNINGS": "ignore::UserWarning",  # no collected static files: the API needs none
    }
    gunicorn = Path(python).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603
        [str(gunicorn), "worksafe.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--threads", str(args.threads), "--worker-class", "gthread",
         "--log-level", "warning", "--timeout", "120"],
        cwd=ROOT, env=server_env,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        login = Client(port)
        tokens, context = {}, {"me": {}, "visible": {}, "enterprises": []}
        for username in READERS:
            status, data = login.request(
                "POST", "/api/v1/auth/token", {"username": username, "password": PASSWORD}
            )
            if status != 200:
                print(f"Cannot sign in as {username}: {status} {data}", file=sys.stderr)
                return 2
            tokens[username] = data["token"]
            client = Client(port, data["token"])
            context["me"][username] = client.request("GET", "/api/v1/users/me")[1]
            page = client.request("GET", "/api/v1/hazards?limit=100")[1]
            context["visible"][username] = [h["id"] for h in page["items"]]
        office = Client(port, tokens["office"])
        page = office.request("GET", "/api/v1/organizations?kind=enterprise&limit=100")[1]
        context["enterprises"] = [o["id"] for o in page["items"]]

        hazards_before = Hazard.objects.count()
        writes = ("create", "plan")
        events_before = Event.objects.filter(subject_type="hazard", action__in=writes).count()

        stats = Stats()
        deadline = time.monotonic() + args.seconds
        threads = []
        for i in range(args.users):
            username = READERS[i % len(READERS)]
            thread = threading.Thread(
                target=user_loop,
                args=(port, username, tokens[username], deadline, stats, context, i),
                daemon=True,
            )
            threads.append(thread)
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    hazards_after = Hazard.objects.count()
    events_after = Event.objects.filter(subject_type="hazard", action__in=writes).count()
    chain = verify_chain()

    total = sum(len(v) for v in stats.latency.values())
    everything = [x for v in stats.latency.values() for x in v]
    print(f"\nLoad test: {args.users} users for {elapsed:.0f} s against gunicorn "
          f"({args.workers} workers x {args.threads} threads) on PostgreSQL")  # fmt: skip
    print(f"{'operation':<28}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name in sorted(stats.latency):
        values = stats.latency[name]
        print(
            f"{name:<28}{len(values):>8}{percentile(values, 50) * 1000:>9.1f}"
            f"{percentile(values, 95) * 1000:>9.1f}{percentile(values, 99) * 1000:>9.1f}"
        )
    print(
        f"{'all':<28}{total:>8}{percentile(everything, 50) * 1000:>9.1f}"
        f"{percentile(everything, 95) * 1000:>9.1f}{percentile(everything, 99) * 1000:>9.1f}"
    )
    print(f"throughput: {total / elapsed:.1f} requests/s; status codes: {dict(sorted(stats.status.items()))}")
    lost_rows = stats.created - (hazards_after - hazards_before)
    lost_events = stats.created + stats.planned - (events_after - events_before)
    print(f"writes: {stats.created} hazards created, {stats.planned} plans saved; "
          f"rows missing: {lost_rows}, events missing: {lost_events}; "
          f"audit chain: {'intact' if chain is None else f'BROKEN at {chain.event_id}'}")  # fmt: skip
    failed = bool(stats.errors) or lost_rows != 0 or lost_events != 0 or chain is not None
    for line in stats.errors[:20]:
        print("ERROR", line)
    print("RESULT:", "FAIL" if failed else f"PASS (0 errors of {total} requests, 0 lost writes)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
