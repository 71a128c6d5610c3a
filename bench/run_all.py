"""Run every benchmark in bench/ one after another (quick settings where a benchmark has them).

Each benchmark checks that it measured something real (non-empty answers, agreement with its peer) and
exits 1 when not; this script exits 1 when any did.

    .venv/bin/python bench/run_all.py        # or: make bench
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
COMMANDS = [
    ["credentials/run.py"],
    ["records/run.py"],
    ["profile/run.py", "--db"],
    ["matching/run.py", "--quick"],
    ["matching/load.py"],
    ["mapping/startup.py"],
    ["load/run.py"],
    ["load/wallet.py", "--seconds", "8"],
]


def main() -> int:
    failed = 0
    for script, *args in COMMANDS:
        print(f"\n=== bench/{script} {' '.join(args)}", flush=True)
        failed += subprocess.call([sys.executable, str(BENCH / script), *args]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
