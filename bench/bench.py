# ruff: noqa: S603  (fixed argument lists built here, never user input)
"""Benchmarks of the hazard register against hand-written SQL on the same database.

    DATABASE_URL=postgres://... BENCH_HAZARDS=2000000 python -m bench.bench

Generates the province first when the database does not hold BENCH_HAZARDS generated hazards
(the database is then dropped and created again). Every scenario runs a warm-up, then
BENCH_REPS timed runs of the application path ("app": the real endpoint through Django's test
client, or the real selector/service) and of raw SQL doing the same work ("raw"); the two must
agree on the rows or numbers, or the benchmark stops. Results go to bench/results/.
"""

import datetime as dt
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/worksafe_bench"


def _db_name(url: str) -> str:
    return urllib.parse.urlparse(url).path.lstrip("/")


def _admin_connect(url: str):
    import psycopg

    parts = urllib.parse.urlparse(url)
    return psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True)


def generated_size(url: str) -> int | None:
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            return conn.execute("SELECT COUNT(*) FROM hazards_hazard").fetchone()[0]
    except psycopg.Error:
        return None


def prepare(url: str, hazards: int) -> None:
    """A database holding exactly `hazards` generated hazards (plus what the benchmark adds
    itself, which is far fewer than the 1 % tolerance)."""
    size = generated_size(url)
    if size is not None and hazards <= size <= hazards * 1.01 + 1000:
        print(f"# {_db_name(url)} holds {size:,} hazards: reusing it", flush=True)
        return
    name = _db_name(url)
    if "bench" not in name:
        raise SystemExit(
            f"Refusing to drop and regenerate {name!r}: benchmark databases have 'bench' in their name."
        )
    print(f"# (re)creating {name} with {hazards:,} hazards", flush=True)
    with _admin_connect(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0", "--skip-checks"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [
            python,
            "manage.py",
            "generate_province",
            f"--hazards={hazards}",
            f"--enterprises={max(hazards // 10, 1)}",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def timed(fn, before) -> tuple[float, object]:
    if before:
        before()
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


def run_scenario(s, reps: int) -> dict:
    reps = s.reps or reps
    for _ in range(s.warmups):  # caches, prepared plans, imports
        timed(s.app, s.before)
        timed(s.raw, s.before)
    app_times, raw_times = [], []
    app_result = raw_result = None
    for _ in range(reps):
        ms, app_result = timed(s.app, s.before)
        app_times.append(ms)
        ms, raw_result = timed(s.raw, s.before)
        raw_times.append(ms)
    same = s.agree(app_result, raw_result) if s.agree else app_result == raw_result
    if not same:
        raise SystemExit(f"{s.name}: app and raw disagree:\n  app={app_result!r}\n  raw={raw_result!r}")
    app_p50, raw_p50 = statistics.median(app_times), statistics.median(raw_times)
    row = {
        "scenario": s.name,
        "rows": s.rows(app_result),
        "app_p50_ms": round(app_p50, 3),
        "app_p95_ms": round(percentile(app_times, 0.95), 3),
        "raw_p50_ms": round(raw_p50, 3),
        "ratio": round(app_p50 / raw_p50, 2) if raw_p50 else None,
    }
    print(
        f"{row['scenario']:<44} rows {row['rows']:>9,}  app p50 {row['app_p50_ms']:>9.2f} ms"
        f"  p95 {row['app_p95_ms']:>9.2f}  raw p50 {row['raw_p50_ms']:>9.2f}  ratio {row['ratio']}",
        flush=True,
    )
    return row


def main() -> None:
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith("postgres"):
        raise SystemExit("The benchmarks run on PostgreSQL: set DATABASE_URL=postgres://...")
    if "bench" not in _db_name(url):
        # The benchmarks write (hazards, transitions, sweeps) and may drop the database.
        raise SystemExit(
            f"Refusing to use {_db_name(url)!r}: benchmark databases have 'bench' in their name."
        )
    hazards = int(os.environ.get("BENCH_HAZARDS", "2000000"))
    reps = int(os.environ.get("BENCH_REPS", "15"))
    out = Path(os.environ.get("BENCH_OUT", RESULTS / "latest"))
    http = os.environ.get("BENCH_HTTP", "1") != "0" and not os.environ.get("BENCH_ONLY")
    os.environ["DATABASE_URL"] = url
    prepare(url, hazards)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bench import scenarios

    scenarios.vacuum()
    world = scenarios.BenchWorld.build()
    rows = []
    only = os.environ.get("BENCH_ONLY", "")  # a substring of scenario names, for quick checks
    for scenario in scenarios.all_scenarios(world):
        if only in scenario.name or scenario.name.startswith("framework floor"):
            rows.append(run_scenario(scenario, reps))
            if scenario.name.startswith("escalation"):
                scenarios.vacuum()
    if http:
        port = _free_port()
        server = _start_gunicorn(url, port)
        try:
            for scenario in scenarios.http_scenarios(world, port):
                rows.append(run_scenario(scenario, reps))
        finally:
            server.terminate()
            server.wait(timeout=30)
    meta = {
        "hazards": world.total_hazards,
        "database": "PostgreSQL " + world.server_version,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "reps": reps,
        "at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "floor_p50_ms": next(
            r["app_p50_ms"] for r in rows if r["scenario"] == "framework floor (pk lookup view)"
        ),
        "plans": world.plans,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(rows, indent=2) + "\n")
    out.with_name(out.name + ".meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    out.with_suffix(".md").write_text(scenarios.markdown(rows, meta))
    print(f"# wrote {out.with_suffix('.json')} and {out.with_suffix('.md')}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_gunicorn(url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [
            gunicorn,
            "bench.wsgi:application",
            "--preload",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


if __name__ == "__main__":
    main()
