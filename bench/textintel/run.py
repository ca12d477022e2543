"""Run the textintel benchmarks and print their figures: python bench/textintel/run.py [--quick].

--quick takes under two minutes on 2 cores (one routing fold, samples, 100,000-text scale test);
the full run takes about 6 minutes (5 folds, test figures, all queries, 1,000,000 texts).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SECTIONS = ("routing", "similar", "topics", "reply", "scale", "extract")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", help=f"comma-separated subset of {', '.join(SECTIONS)}")
    args = parser.parse_args(argv)
    chosen = args.only.split(",") if args.only else list(SECTIONS)
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s): {', '.join(unknown)}")
    failed = 0
    for section in chosen:
        start = time.perf_counter()
        print(f"\n== textintel {section}{' (quick)' if args.quick else ''} ==", flush=True)
        cmd = [sys.executable, str(HERE / f"bench_{section}.py"), *(["--quick"] if args.quick else [])]
        failed |= subprocess.call(cmd, cwd=HERE) != 0
        print(f"  ({section}: {time.perf_counter() - start:.0f} s)", flush=True)
    return int(failed)


if __name__ == "__main__":
    sys.exit(main())
