"""``.venv/bin/python bench/load``: the bounded PostgreSQL burst (``run.py``: 200 concurrent mixed
requests, 0 errors, /health back within 5 s) and then the wallet page load (``wallet.py``: req/s, p95,
CPU per request with 1 and 2 workers). Each prints its figures and exits 1 when its checks fail (an
error or a slow recovery in the burst, a wrong wallet answer); this exits 1 when either did. Options go to neither: run the two scripts
directly to change them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = 0
    for script in ("run.py", "wallet.py"):
        print(f"\n=== bench/load/{script}", flush=True)
        failed += subprocess.call([sys.executable, str(HERE / script)]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
