"""A real Celery worker process for tests: Redis when REDIS_URL is set (CI), else kombu's filesystem broker.

The worker opens the test database through DATABASE_URL and listens only on a queue of the test's own, so
no other worker on the machine takes the test's job (and this one takes no other)."""

import os
import resource
import subprocess
import sys
import time
import uuid

from django.conf import settings
from django.db import connection


def test_database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def new_queue(prefix="test"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def start_worker(queue, *, pool="solo", memory_limit=None, name=None, include=None, **extra_env):
    """Start a worker on `queue`; stop it with `stop_worker`. `pool="prefork"` runs the task in a child process that
    the worker replaces when it dies; `memory_limit` (bytes) caps the address space of the worker's processes;
    `name`: the worker's node name (e.g. "one@%h"), to tell two workers of a test apart; `include`: a module of the
    tests the worker imports as well (e.g. signal handlers)."""
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        **extra_env,
    }
    # Playwright's sync API needs this in the test process; the worker must not inherit it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    command = [
        sys.executable, "-m", "celery", "-A", "party_portal", "worker", f"--pool={pool}", "--concurrency=1",
        "--loglevel=warning", "--without-heartbeat", "--without-gossip", "--without-mingle", "--queues", queue,
    ]  # fmt: skip
    if name:
        command += ["--hostname", name]
    if include:
        command += ["--include", include]
    limit = None if memory_limit is None else lambda: resource.setrlimit(resource.RLIMIT_AS, (memory_limit,) * 2)
    return subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=limit
    )


def stop_worker(process):
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_for(condition, timeout=60):
    """Poll `condition` until it holds or `timeout` seconds pass; returns whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False
