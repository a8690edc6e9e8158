"""A small PostgreSQL primary and its streaming replica, made for one test session and removed after it.

Never a copy of the machine's own cluster (it holds the demo databases): `initdb` makes an empty primary under a
temporary folder, on a free port, with WAL for a replica and a replication line in its pg_hba.conf;
`pg_basebackup -R` copies it to a second folder that starts as a hot standby on another free port. PostgreSQL
refuses to run as root: as root (CI) every command runs as the `postgres` user.
"""

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg2

DATABASE = "portal"


@dataclass
class Cluster:
    primary_port: int
    replica_port: int
    bin_dir: Path
    root: Path

    def url(self, port):
        return f"postgres://postgres@127.0.0.1:{port}/{DATABASE}"

    @property
    def primary_url(self):
        return self.url(self.primary_port)

    @property
    def replica_url(self):
        return self.url(self.replica_port)

    def connect(self, port):
        connection = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname=DATABASE)
        connection.autocommit = True
        return connection


def postgres_bin_dir():
    """The newest PostgreSQL of the machine (Debian installs each version under /usr/lib/postgresql/<n>/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(command):
    """Run a PostgreSQL program, as `postgres` when this process is root."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, text=True)


def start_cluster(bin_dir):
    """The primary (with the database `portal`) and its replica, both running."""
    root = Path(tempfile.mkdtemp(prefix="pp-replica-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    cluster = Cluster(_free_port(), _free_port(), bin_dir, root)
    primary, replica = root / "primary", root / "replica"
    _run([str(bin_dir / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
    _append(
        primary / "postgresql.conf",
        f"port = {cluster.primary_port}",
        "listen_addresses = '127.0.0.1'",
        f"unix_socket_directories = '{root}'",
        "wal_level = replica",
        "max_wal_senders = 4",
        "hot_standby = on",
        # A throwaway cluster: no waiting for the disk.
        "fsync = off",
        "synchronous_commit = off",
        "full_page_writes = off",
    )
    _append(primary / "pg_hba.conf", "host replication postgres 127.0.0.1/32 trust")
    _pg_ctl(cluster, primary, "start")
    _run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.primary_port), "-U", "postgres", DATABASE])
    _run([
        str(bin_dir / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(cluster.primary_port), "-U", "postgres",
        "-D", str(replica), "-R", "-X", "stream", "-c", "fast", "--no-sync",
    ])  # fmt: skip
    _append(replica / "postgresql.conf", f"port = {cluster.replica_port}")
    _pg_ctl(cluster, replica, "start")
    return cluster


def stop_cluster(cluster):
    for data in (cluster.root / "replica", cluster.root / "primary"):
        if (data / "postmaster.pid").exists():
            _run([str(cluster.bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
    shutil.rmtree(cluster.root, ignore_errors=True)


def _pg_ctl(cluster, data, action):
    _run([str(cluster.bin_dir / "pg_ctl"), "-D", str(data), "-l", str(data / "server.log"), "-w", action])


def _append(path, *lines):
    with open(path, "a") as conf:
        conf.write("\n" + "\n".join(lines) + "\n")


def run_scenario(cluster, **extra_env):
    """Run tests/replica/scenario.py against `cluster` in a process of its own, on the test settings with the
    primary and the replica, tasks in the process and no Redis (nothing of the scenario in the test run's Redis
    or a queue another worker reads); returns what its reads saw (its last line, one JSON object)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": cluster.primary_url,
        "DATABASE_REPLICA_URL": cluster.replica_url,
        "REDIS_URL": "",
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "REPLICA_CATCH_UP_SECONDS": "1",
        **extra_env,
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.replica.scenario"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode:
        raise RuntimeError(f"the replica scenario failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])
