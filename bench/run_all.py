"""Run every benchmark in bench/ and print their tables (``make bench``).

    .venv/bin/python bench/run_all.py            # scale at 10k and 100k, then the page benchmark
    .venv/bin/python bench/run_all.py --smoke    # the quick versions
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    smoke = "--smoke" in argv
    runs = [[str(HERE / "scale.py")] + (["--smoke"] if smoke else [])]
    if (HERE / "bench_viz.py").exists():
        runs.append([str(HERE / "bench_viz.py")] + (["--runs", "1"] if smoke else []))
    failed = 0
    for args in runs:
        print(f"== {Path(args[0]).name}", flush=True)
        failed |= subprocess.call([sys.executable, *args])
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
