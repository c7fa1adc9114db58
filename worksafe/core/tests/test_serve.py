"""`make run` runs the whole product: the steps of its recipe, then `manage.py serve`, in
subprocesses on a free port with their own database and files. A user logs in, checks and
imports a hazard ledger and sees the background worker finish it; unknown pages answer the
app's own 404; Ctrl-C, SIGTERM, or `serve` killed outright leave no process behind."""

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import psycopg
import pytest
import requests
from dj_database_url import parse

from worksafe.ledgers import sheets
from worksafe.orgs.uscc import make_code
from worksafe.web.management.commands.load_demo import ENTERPRISES, PASSWORD

ROOT = Path(__file__).resolve().parents[3]
# What `make run` does before serving (see the Makefile's run recipe).
RECIPE = [["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"], ["load_demo"]]
DEADLINE = 30  # seconds for the server to come up, and for a job to finish


def manage(*args, env, **kwargs):
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env, **kwargs)  # noqa: S603


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A prepared installation: its own database (a file, or a fresh PostgreSQL database
    beside the suite's), static files and media, with the demo loaded."""
    var = tmp_path_factory.mktemp("serve")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update(WORKSAFE_VAR_DIR=str(var), STATIC_ROOT=str(var / "static"), MEDIA_ROOT=str(var / "media"))
    env["DEBUG"] = "0"  # as the Makefile sets it
    admin_url = os.environ.get("DATABASE_URL", "")
    name = None
    if admin_url.startswith("postgres"):
        name = f"{parse(admin_url)['NAME']}_serve_{os.getpid()}"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = admin_url.rsplit("/", 1)[0] + "/" + name
    for step in RECIPE:
        done = manage(*step, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        out = done.communicate(timeout=120)[0]
        assert done.returncode == 0, out
    yield env | {"_var": str(var)}
    if name:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Served:
    """`manage.py serve` on a free port; knows every process below it."""

    def __init__(self, env):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(env["_var"]) / f"serve-{self.port}.log"
        with self.log.open("w") as out:
            self.proc = manage(
                "serve",
                "--port",
                str(self.port),
                "--workers",
                "1",
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + DEADLINE
        while "WorkSafe is running" not in self.output():
            assert self.proc.poll() is None and time.monotonic() < deadline, self.output()
            time.sleep(0.2)
        self.pids = self.descendants(self.proc.pid)
        assert len(self.pids) >= 3, self.pids  # gunicorn, its worker, the task worker

    def output(self) -> str:
        return self.log.read_text()

    @staticmethod
    def descendants(pid: int) -> set[int]:
        found = set()
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found |= {int(child)} | Served.descendants(int(child))
        return found

    def stop(self, sig) -> int:
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=DEADLINE)
        assert self.gone(), self.output()
        return code

    def gone(self) -> bool:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            alive = [pid for pid in self.pids if _alive(pid)]
            if not alive:
                return True
            time.sleep(0.1)
        return False


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def ledger(titles: list[str]) -> bytes:
    """The downloaded template with rows for the demo's first chemicals enterprise."""
    uscc = make_code("91210211", f"{55_000_000 + 1 * 7919:08d}")
    assert next(iter(ENTERPRISES.values()))[1] == "210211"
    wb = openpyxl.load_workbook(io.BytesIO(sheets.template_workbook("hazards")))
    for title in titles:
        wb.worksheets[0].append([uscc, title, "", "罐区", "一般", "检查", "2030-12-31", "王五"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


def wait_done(session, url: str) -> str:
    deadline = time.monotonic() + DEADLINE
    while True:
        html = session.get(url).text
        if "hx-trigger" not in html:
            return html
        assert time.monotonic() < deadline, html
        time.sleep(0.3)


def test_make_run_serves_pages_and_runs_imports_in_the_background(site):
    served = Served(site)
    try:
        assert "worker" in served.output()
        web = requests.Session()
        web.headers["Accept-Language"] = "en"

        missing = web.get(f"{served.url}/no-such-page/")
        assert missing.status_code == 404
        assert "This page does not exist" in missing.text
        assert "URLconf" not in missing.text and "Traceback" not in missing.text

        login = web.get(f"{served.url}/login/")
        css = re.search(r'href="(/static/web/app\.[0-9a-f]+\.css)"', login.text)[1]  # collected, hashed
        assert web.get(served.url + css).status_code == 200
        page = web.post(
            f"{served.url}/login/",
            {"username": "office", "password": PASSWORD, "csrfmiddlewaretoken": csrf(login.text)},
        )
        assert page.url == f"{served.url}/", page.text[:500]
        gone = web.get(f"{served.url}/hazards/99999/")
        assert gone.status_code == 404 and "This page does not exist" in gone.text

        titles = [f"储罐区报警器失效 {served.port}-{i}" for i in range(3)]
        form = web.get(f"{served.url}/ledgers/")
        resp = web.post(
            f"{served.url}/ledgers/",
            {"kind": "hazards", "dry_run": "on", "csrfmiddlewaretoken": csrf(form.text)},
            files={"file": ("ledger.xlsx", ledger(titles))},
        )
        check_url = resp.url
        assert re.fullmatch(rf"{served.url}/ledgers/jobs/\d+/", check_url), resp.text[:500]
        html = wait_done(web, check_url + "progress/")
        previewed = re.findall(r"YH\d{6}-\d{4}-(\d{6})", html)
        assert "3 valid" in html and len(previewed) == 3
        assert [int(n) - int(previewed[0]) for n in previewed] == [0, 1, 2]
        resp = web.post(check_url + "import/", {"csrfmiddlewaretoken": csrf(html)})
        assert resp.url != check_url
        html = wait_done(web, resp.url + "progress/")
        assert "3 created" in html, html

        api = requests.Session()
        token = api.post(
            f"{served.url}/api/v1/auth/token", json={"username": "office", "password": PASSWORD}, timeout=10
        )
        api.headers["Authorization"] = f"Bearer {token.json()['token']}"
        hazards = api.get(f"{served.url}/api/v1/hazards?limit=200", timeout=10).json()["items"]
        numbers = {h["title"]: h["number"][-6:] for h in hazards}
        assert [numbers[t] for t in titles] == previewed
    finally:
        code = served.stop(signal.SIGINT)  # Ctrl-C
    assert code == 0
    assert "WorkSafe stopped." in served.output()


def test_sigterm_stops_everything(site):
    served = Served(site)
    assert served.stop(signal.SIGTERM) == 0


def test_no_process_outlives_serve_killed_outright(site):
    served = Served(site)
    served.proc.kill()
    served.proc.wait()
    assert served.gone(), served.output()
