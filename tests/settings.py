"""Settings of the test suite: the production settings (DEBUG off), with a key of their own and over plain http.

The variables are set in the environment before party_portal.settings reads them, so that the processes the
tests start (Celery workers, the live server of the browser tests) get the same. A real start with DEBUG off
and no SECRET_KEY is still refused (tests/test_security_settings.py)."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-never-used-by-a-server-0123456789abcdefghijklmnopqrstuvwxyz")
# The test client and the browser tests' live server speak http: no redirect to https, cookies sent over http.
for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
    os.environ.setdefault(name, "0")

# Under pytest-xdist each worker process (gw0, gw1, …) gets a Redis database of its own (15, 14, …): a test that
# clears the cache or counts a queue sees only its own keys. The database of the test run is already its own
# (pytest-django suffixes its name per worker), and the Celery workers the tests start inherit this variable.
# Done once: the worker processes inherit the moved REDIS_URL and the mark, and read these settings too.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _xdist_worker.startswith("gw") and os.environ.get("REDIS_URL") and not os.environ.get("TEST_REDIS_MOVED"):
    _base, _, _db = os.environ["REDIS_URL"].rpartition("/")
    os.environ["REDIS_URL"] = f"{_base}/{(int(_db or 0) - int(_xdist_worker[2:])) % 16}"
    os.environ["TEST_REDIS_MOVED"] = "1"

from party_portal.settings import *  # noqa: E402, F403
