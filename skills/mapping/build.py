"""Rebuild (or check) the shipped mapper artefacts: ``python -m skills.mapping.build [--check]``.

Fitting needs scikit-learn and takes a few seconds per DSS version; see ``artefact.py`` for the format.
"""

from __future__ import annotations

import argparse
import sys

from skills.mapping.artefact import artefact_paths, build, stale_reason
from skills.mapping.corpus import VERSIONS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m skills.mapping.build", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only report whether each artefact is up to date")
    parser.add_argument("--version", action="append", choices=VERSIONS, help="default: every version")
    args = parser.parse_args(argv)
    status = 0
    for version in args.version or VERSIONS:
        if not args.check:
            meta = build(version)
            print(f"DSS {version}: wrote {artefact_paths(version)[0].name} (inputs {meta['input_hash'][:12]})")
        elif reason := stale_reason(version):
            print(reason, file=sys.stderr)
            status = 1
        else:
            print(f"DSS {version}: up to date")
    return status


if __name__ == "__main__":
    sys.exit(main())
