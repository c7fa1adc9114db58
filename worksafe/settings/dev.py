"""Local development and `make run`: the embedded SQLite, debug on unless told otherwise."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
# A fixed key is fine here only: this settings module is never used in production.
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"  # noqa: S105
