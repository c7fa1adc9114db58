"""One command for the whole product on one machine: the pages (gunicorn) and the task worker
with its schedule, stopped together on Ctrl-C, SIGTERM or SIGHUP, or when either of them dies."""

import ctypes
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
GRACE_SECONDS = 20  # a task under way gets this long to finish before it is killed
READY_SECONDS = 60


def _die_with_parent() -> None:
    """In the child, before exec: Linux sends it SIGTERM if `serve` itself is killed outright,
    so no process outlives it."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


class Command(BaseCommand):
    help = "Serves the pages and runs the background worker until Ctrl-C; stops both together."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="page-serving processes (default 2)")

    def handle(self, *args, host: str, port: int, workers: int, **options):
        received: list[int] = []
        for sig in STOP_SIGNALS:
            signal.signal(sig, lambda signum, frame: received.append(signum))
        pages = self._spawn(
            "-m", "gunicorn", "worksafe.wsgi:application", "--bind", f"{host}:{port}",
            "--workers", str(workers), "--threads", "4", "--graceful-timeout", "5", "--no-control-socket",
        )  # fmt: skip
        worker = self._spawn(str(settings.BASE_DIR / "manage.py"), "worker", "--no-startup-delay")
        children = {"pages": pages, "worker": worker}
        try:
            if self._wait_ready(host, port, children, received):
                url = f"http://{host}:{port}/"
                self.stdout.write(
                    self.style.SUCCESS(f"WorkSafe is running: {url}")
                    + f"\n  pages   {url}  (API docs: {url}api/v1/docs), pid {pages.pid}"
                    + f"\n  worker  imports and periodic jobs (see worksafe.core.schedule), pid {worker.pid}"
                    + "\n  Ctrl-C stops both."
                )
            while not received and all(p.poll() is None for p in children.values()):
                time.sleep(0.2)
        finally:
            self._stop(children)
        if not received:
            dead = ", ".join(f"{name} (exit {p.returncode})" for name, p in children.items() if p.returncode)
            raise CommandError(f"Stopped because a process ended: {dead or 'unknown'}.")
        self.stdout.write("WorkSafe stopped.")

    def _spawn(self, *argv: str) -> subprocess.Popen:
        # Own session: Ctrl-C reaches `serve` alone, which then stops each child once and in
        # order (a second SIGINT would make the worker abandon a task half done).
        return subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, *argv], start_new_session=True, preexec_fn=_die_with_parent
        )

    def _wait_ready(self, host: str, port: int, children: dict, received: list) -> bool:
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline and not received:
            if any(p.poll() is not None for p in children.values()):
                return False
            try:
                with socket.create_connection((host.strip("[]"), port), timeout=1):
                    return True
            except OSError:
                time.sleep(0.2)
        return False

    def _stop(self, children: dict) -> None:
        for p in children.values():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for p in children.values():
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
