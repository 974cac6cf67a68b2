"""Start-up time of the command line: ``onrecord --help`` and ``onrecord search --help``.

    .venv/bin/python benchmarks/bench_startup.py [--rounds 10] [--before /path/to/old/checkout/src]

Each command runs in a fresh interpreter (as a user's shell starts it); the best and the
median wall time of the rounds are printed, with the modules it loaded (whether spaCy was
among them). With ``--before`` the same commands run against another source tree in the
same run (``git worktree add /tmp/before <commit>``), so the two compare on one machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {"onrecord --help": ["--help"], "onrecord search --help": ["search", "--help"]}
CODE = ("import sys\nfrom onrecord.cli import main\ntry:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('SPACY=%d MODULES=%d' % ('spacy' in sys.modules, len(sys.modules)))")


def measure(src: Path, args: list[str], rounds: int) -> tuple[float, float, str]:
    """Best and median seconds of ``rounds`` fresh runs, and what the last one loaded."""
    env = dict(os.environ, PYTHONPATH=str(src))
    times, loaded = [], ""
    for _ in range(rounds):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", CODE.format(args=args)], env=env, capture_output=True,
                              text=True, check=True)
        times.append(time.perf_counter() - started)
        loaded = done.stderr.strip().splitlines()[-1]
    return min(times), statistics.median(times), loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--before", type=Path, help="src folder of another checkout to compare with")
    args = parser.parse_args()
    trees = [("before", args.before)] if args.before else []
    trees.append(("now", ROOT / "src"))
    for label, args_ in COMMANDS.items():
        results = {name: measure(src, args_, args.rounds) for name, src in trees}
        for name, (best, median, loaded) in results.items():
            print(f"{label:<24} {name:<7} best {best * 1000:6.0f} ms  median {median * 1000:6.0f} ms  {loaded}")
        if "before" in results:
            print(f"{label:<24} ratio now/before (best): {results['now'][0] / results['before'][0]:.2f}")


if __name__ == "__main__":
    main()
