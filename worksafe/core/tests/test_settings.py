"""Production settings refuse an unsafe start and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def manage(*args, **env):
    clean = {
        k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DEBUG")
    }
    clean.update(DJANGO_SETTINGS_MODULE="worksafe.settings.prod", **env)
    return subprocess.run(  # noqa: S603 -- our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_prod_without_secret_key_refuses_to_start():
    result = manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_prod_with_a_short_or_insecure_key_refuses_to_start():
    assert manage("check", SECRET_KEY="short").returncode != 0
    assert manage("check", SECRET_KEY="django-insecure-" + "x" * 60).returncode != 0


def test_prod_check_deploy_is_clean_with_a_real_key():
    result = manage("check", "--deploy", SECRET_KEY="k3y-" + "A1b2C3d4E5f6G7h8I9j0" * 3)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_worksafe_setting_the_code_reads_is_declared_once_in_base():
    """A default hidden in code (getattr with a fallback) is a second place to change it, and
    one read at import time escapes override_settings."""
    import re

    from worksafe.settings import base

    sources = [
        p for p in (ROOT / "worksafe").rglob("*.py") if "tests" not in p.parts and "settings" not in p.parts
    ]
    read, fallbacks = set(), []
    for path in sources:
        text = path.read_text(encoding="utf-8")
        read |= set(re.findall(r"settings\.(WORKSAFE_\w+)", text))
        fallbacks += [f"{path.name}: {m}" for m in re.findall(r"getattr\(settings, \"\w+\"", text)]
    assert read, "the scan found the settings the code reads"
    assert sorted(name for name in read if not hasattr(base, name)) == []
    assert fallbacks == []
