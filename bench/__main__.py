"""Run every bench/bench_*.py module's run() and print its lines; exit 1 if a budget is missed.

`python -m bench load pdf` runs only the modules whose names contain one of the words given."""

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def main() -> int:
    failed = False
    names = sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if m.name.startswith("bench_")
    )
    wanted = sys.argv[1:]
    names = [n for n in names if not wanted or any(w in n for w in wanted)]
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        started = time.perf_counter()
        print(f"== {name}")
        for line in module.run():
            print(f"   {line}")
            failed = failed or "OVER BUDGET" in line
        print(f"   ({time.perf_counter() - started:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
