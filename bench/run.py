"""Run the benchmarks of this folder (`make bench`): those named on the command line, or all of them.

    .venv/bin/python bench/run.py                      # every bench/*.py but this runner
    .venv/bin/python bench/run.py dashboard_load       # one or more, with or without ".py"
    .venv/bin/python bench/run.py dashboard_load -- --duration 10   # arguments after "--" go to each script

Each script runs in its own process with this interpreter and the current environment (DATABASE_URL…);
the runner prints its output and the time it took, and exits non-zero if any script failed.
"""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _scripts(names):
    if not names:
        return sorted(p for p in HERE.glob("*.py") if p.name != Path(__file__).name and not p.name.startswith("_"))
    scripts = []
    for name in names:
        path = HERE / (name if name.endswith(".py") else f"{name}.py")
        if not path.exists():
            sys.exit(f"bench/run.py: no benchmark {path.name} in {HERE}")
        scripts.append(path)
    return scripts


def main(argv):
    names, extra = argv, []
    if "--" in argv:
        cut = argv.index("--")
        names, extra = argv[:cut], argv[cut + 1 :]
    failed = []
    for script in _scripts(names):
        print(f"=== {script.name} {' '.join(extra)}".rstrip(), flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script), *extra], cwd=HERE.parent, check=False)
        print(f"=== {script.name}: exit {result.returncode} after {time.perf_counter() - started:.1f} s\n", flush=True)
        if result.returncode:
            failed.append(script.name)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main(sys.argv[1:])
