#!/usr/bin/env python3
"""Paired, interleaved timing of two commands: the ratio B/A of each pair, and
the median of those ratios (wall time and CPU time); and the ratios of each
command's fastest, first-quartile and median run.

On a shared 2-core machine, hyperfine's means move by a quarter from one
minute to the next; two commands run back to back see nearly the same load, so
the median of per-pair ratios is the number that repeats (docs/performance.md).

Back to back, though, a run inherits the memory the previous process freed a
moment ago: on a VM that reports freed pages to its host (this one: Firecracker,
`page_reporting_order=11`), pages freed seconds ago cost ~2 ms of system time
per MiB to touch again, recently freed ones almost nothing. The command that
needs more memory than the other just freed always pays for the difference,
the other never does. `-s SECONDS` sleeps before every run so that each one
starts from the same state (everything returned to the host).

    benches/pairs.py [-n RUNS] [-w WARMUP] [-s SETTLE_SECONDS] -- CMD_A... -- CMD_B...
"""

import os
import statistics
import subprocess
import sys
import time


def run(cmd, settle=0.0):
    if settle:
        time.sleep(settle)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"pairs.py: {' '.join(cmd)} exited with {status}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main(argv):
    runs, warmup, settle = 10, 1, 0.0
    while argv and argv[0] != "--":
        flag = argv.pop(0)
        if flag == "-n":
            runs = int(argv.pop(0))
        elif flag == "-w":
            warmup = int(argv.pop(0))
        elif flag == "-s":
            settle = float(argv.pop(0))
        else:
            sys.exit(__doc__)
    if argv.count("--") != 2:
        sys.exit(__doc__)
    split = argv.index("--", 1)
    a, b = argv[1:split], argv[split + 1 :]
    for _ in range(warmup):
        run(a)
        run(b)
    walls, cpus, rows = [], [], []
    for i in range(runs):
        # Alternate which command goes first, so a load that rises within a
        # pair favours neither.
        if i % 2 == 0:
            ra, rb = run(a, settle), run(b, settle)
        else:
            rb, ra = run(b, settle), run(a, settle)
        walls.append(rb[0] / ra[0])
        cpus.append(rb[1] / ra[1])
        rows.append((ra, rb))
    med = statistics.median
    print(f"A: {' '.join(a)}")
    print(f"B: {' '.join(b)}")
    print(
        f"A wall median {med(r[0][0] for r in rows):.3f} s, cpu {med(r[0][1] for r in rows):.3f} s, "
        f"max RSS {med(r[0][2] for r in rows):.0f} MB"
    )
    print(
        f"B wall median {med(r[1][0] for r in rows):.3f} s, cpu {med(r[1][1] for r in rows):.3f} s, "
        f"max RSS {med(r[1][2] for r in rows):.0f} MB"
    )
    print(
        f"B/A over {runs} pairs: wall median {med(walls):.3f}x (min {min(walls):.3f}, max {max(walls):.3f}), "
        f"cpu median {med(cpus):.3f}x; settle {settle:g} s; load {os.getloadavg()[0]:.2f}"
    )
    # The same runs as two distributions: on this VM slow spells hit the
    # command that touches more memory harder, so a pair's ratio moves with
    # them; each command's fastest and first-quartile runs do not.
    def quartile(values):
        return sorted(values)[len(values) // 4]

    a_walls = [r[0][0] for r in rows]
    b_walls = [r[1][0] for r in rows]
    print(
        f"B/A of each command's runs: fastest {min(b_walls) / min(a_walls):.3f}x, "
        f"first quartile {quartile(b_walls) / quartile(a_walls):.3f}x, "
        f"median {med(b_walls) / med(a_walls):.3f}x"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
