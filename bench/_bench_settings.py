"""Settings of the load benchmarks (server and capturing process): the project's, on a read-only database
connection (PostgreSQL) and with cookie sessions, so that a measurement writes nothing into the database it
measures — any write fails loudly (an error in the figures) instead of changing a shared database. The clients
get a session cookie signed with the run's SECRET_KEY (bench/_floor.py), no login. BENCH_DASHBOARD_CACHE=0 turns
the dashboard caches off (the cold dashboard)."""

import os

from party_portal.settings import *  # noqa: F403
from party_portal.settings import DATABASES

SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "options": "-c default_transaction_read_only=on",
    }
if os.environ.get("BENCH_DASHBOARD_CACHE") == "0":
    DASHBOARD_CACHE_SECONDS = 0
