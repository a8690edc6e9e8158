"""The CPU time the measured processes used while a load ran, read from /proc (Linux): the web server's processes
(its process group), PostgreSQL's processes and this process (the load's client threads).

On 2 shared cores the wall time of a request moves with whatever else runs (the same code measured 15 % apart from
one run to the next); the CPU a request costs moves less. It also bounds the throughput: N clients in a closed loop
on C cores get at most C / (CPU per request) requests a second, and wait N / throughput each.
"""

import os
import resource
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _snapshot(server_group):
    """{(pid, start time): (part, CPU seconds)} of the server's and PostgreSQL's processes."""
    seen = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes()
        except OSError:  # ended meanwhile
            continue
        if int(fields[2]) == server_group:
            part = "web"
        elif command.startswith(b"postgres"):
            part = "PostgreSQL"
        else:
            continue
        seen[entry.name, fields[19]] = (part, (int(fields[11]) + int(fields[12])) / TICK)
    return seen


def _own():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Meter:
    """CPU seconds used between start() and stop() by the web server (process group `server_group`), PostgreSQL
    and this process. A process that ended in between is not counted: the server's workers and the persistent
    database connections live through a measurement."""

    def __init__(self, server_group):
        self.server_group = server_group
        self.used = {}

    def start(self):
        self._before, self._own = _snapshot(self.server_group), _own()

    def stop(self):
        used = {"web": 0.0, "PostgreSQL": 0.0, "clients": _own() - self._own}
        for key, (part, seconds) in _snapshot(self.server_group).items():
            used[part] += seconds - self._before.get(key, (part, 0.0))[1]
        self.used = used
        return used

    def describe(self, requests):
        """The CPU of one request, by part, and the throughput it allows on this machine's CPUs."""
        if not requests:
            return "no request"
        parts = ", ".join(f"{part} {seconds * 1000 / requests:.1f} ms" for part, seconds in self.used.items())
        total = sum(self.used.values()) / requests
        ceiling = f"; {os.cpu_count()} CPUs: at most {os.cpu_count() / total:.0f} req/s" if total else ""
        return f"CPU per request: {parts}{ceiling}"
