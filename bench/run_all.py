"""Run every benchmark in bench/ and print their tables (``make bench``).

    .venv/bin/python bench/run_all.py                          # each at its full size
    .venv/bin/python bench/run_all.py --smoke                  # the quick versions (one run, tiny sizes)
    .venv/bin/python bench/run_all.py --smoke bench_ingest     # only these (names without .py)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["scale", "bench_cli", "bench_export", "bench_ingest", "bench_viz", "bench_abuse"]


def main(argv: list[str]) -> int:
    smoke = "--smoke" in argv
    names = [a for a in argv if a != "--smoke"] or BENCHMARKS
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        print(f"unknown benchmark {unknown[0]!r}; use one of {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    failed = 0
    for name in names:
        print(f"== {name}.py", flush=True)
        failed |= subprocess.call([sys.executable, str(HERE / f"{name}.py"), *(["--smoke"] if smoke else [])])
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
