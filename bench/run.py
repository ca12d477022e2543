"""`make bench`: run every benchmark in bench/ and print its figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    runs = [[sys.executable, str(HERE / "proposals_bench.py"), *sys.argv[1:]]]
    runs.append([sys.executable, str(HERE / "duty_bench.py")])
    runs.append([sys.executable, str(HERE / "voice_bench.py")])
    textintel = HERE / "textintel" / "run.py"
    if textintel.exists():
        runs.append([sys.executable, str(textintel)])
    failed = 0
    for cmd in runs:
        print(f"\n$ {' '.join(Path(c).name if i else c for i, c in enumerate(cmd))}", flush=True)
        failed |= subprocess.call(cmd) != 0
    return int(failed)


if __name__ == "__main__":
    sys.exit(main())
