"""Settings for benchmarks: the development settings without debug (no query log, no debug
pages) and one extra URL, the framework floor."""

import os

os.environ.setdefault("DEBUG", "0")

from worksafe.settings.dev import *  # noqa: E402, F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
# Keep one connection per worker, as a production deployment would.
DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
