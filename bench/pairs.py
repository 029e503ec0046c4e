#!/usr/bin/env python
"""Paired, interleaved timing of read + clean against a bare calamine read (issue 24's
``clean_over_calamine`` ratio) on a shared, noisy machine: A, B, A, B, … each in a
fresh process; the ratio of each pair, and their median.

    python bench/pairs.py <snapshot> <period> <config_dir> [pairs]

Single runs on this VM drift by 30% or more when other work shares the cores; a ratio
within one pair (runs seconds apart) is far steadier than two figures taken minutes
apart.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

STAGE = Path(__file__).resolve().parent / "stage.py"


def wall(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main(snapshot: str, period: str, config_dir: str, pairs: int = 5) -> float:
    bare = [sys.executable, str(STAGE), "calamine", snapshot]
    ours = [sys.executable, str(STAGE), "clean", snapshot, period, config_dir]
    ratios = []
    for i in range(pairs):
        a, b = wall(bare), wall(ours)
        ratios.append(b / a)
        print(f"pair {i + 1}: calamine {a:.2f} s, read + clean {b:.2f} s, ratio {b / a:.3f}", flush=True)
    median = statistics.median(ratios)
    print(f"median ratio {median:.3f}")
    return median


if __name__ == "__main__":
    snapshot, period, config_dir, *rest = sys.argv[1:]
    main(snapshot, period, config_dir, int(rest[0]) if rest else 5)
