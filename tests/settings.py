"""Settings of the test suite: the production settings (DEBUG off), with a key of their own and over plain http.

The variables are set in the environment before party_portal.settings reads them, so that the processes the
tests start (Celery workers, the live server of the browser tests) get the same. A real start with DEBUG off
and no SECRET_KEY is still refused (tests/test_security_settings.py)."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-never-used-by-a-server-0123456789abcdefghijklmnopqrstuvwxyz")
# The test client and the browser tests' live server speak http: no redirect to https, cookies sent over http.
for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
    os.environ.setdefault(name, "0")

from party_portal.settings import *  # noqa: E402, F403
