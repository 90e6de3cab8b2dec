"""Route sheets from the command line: wall time and peak memory of ``sheet`` and ``sheets``.

Each run is a fresh process under ``/usr/bin/time -v`` (wall clock, maximum resident set
size): ``accessroute sheet`` on a 1.3 km Moscow trip, and ``accessroute sheets`` on a trips
file of 20 Moscow rows. The medians of the runs are printed.

``--tree DIR`` measures another checkout instead of this one (its packages first on the path,
this checkout's built areas), e.g. the last commit, to compare::

    git archive HEAD | tar -x -C /tmp/before
    .venv/bin/python scripts/bench/sheets.py --tree /tmp/before

Run alone: ``.venv/bin/python scripts/bench/sheets.py [--runs 3] [--tree DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from accessroute import settings

MOSCOW = "moscow-kitay-gorod"
#: Myasnitskaya 7 to Pokrovsky boulevard: 1.3 km for a manual wheelchair.
SHEET_TRIP = ("55.761004,37.631193", "55.7591086,37.6464731")
#: Trips of the batch: (from, to, profile), 20 rows in Kitay-gorod of 150 m to 2 km.
BATCH_TRIPS = [
    ("55.758621,37.646512", "55.760129,37.647349", "wheelchair_manual"),
    ("55.758621,37.646512", "55.760591,37.646352", "walker"),
    ("55.758621,37.646512", "55.758367,37.642052", "stroller"),
    ("55.758621,37.646512", "55.759511,37.644916", "elderly"),
    ("55.758621,37.646512", "55.759791,37.647165", "wheelchair_powered"),
    ("55.760129,37.647349", "55.758621,37.646512", "blind"),
    ("55.760129,37.647349", "55.759511,37.644916", "wheelchair_manual"),
    ("55.760129,37.647349", "55.762971,37.645058", "walker"),
    ("55.762159,37.634427", "55.761309,37.636471", "stroller"),
    ("55.762159,37.634427", "55.762491,37.635624", "elderly"),
    ("55.762159,37.634427", "55.76377,37.634777", "wheelchair_powered"),
    ("55.762159,37.634427", "55.762519,37.635699", "blind"),
    ("55.762159,37.634427", "55.76115,37.634556", "wheelchair_manual"),
    ("55.762159,37.634427", "55.762951,37.635699", "walker"),
    ("55.762159,37.634427", "55.763241,37.636369", "stroller"),
    ("55.762159,37.634427", "55.761004,37.631193", "elderly"),
    ("55.762159,37.634427", "55.762312,37.636675", "wheelchair_powered"),
    ("55.762159,37.634427", "55.761778,37.639023", "blind"),
    ("55.763953,37.642773", "55.759517,37.630313", "wheelchair_manual"),
    ("55.7650,37.6480", "55.759517,37.630313", "walker"),
]
_WALL = re.compile(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)")
_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")


@dataclass(frozen=True)
class Run:
    """One command's run: wall time (s) and peak resident memory (MiB)."""

    wall_s: float
    peak_mib: float


def measure(args: list[str], *, tree: Path | None) -> Run:
    """Run ``accessroute ARGS`` under ``/usr/bin/time -v`` in a new process.

    Parameters
    ----------
    args
        The command line after ``accessroute``.
    tree
        Checkout whose packages to run (None: this one).

    Returns
    -------
    Run
        Its wall time and peak memory.

    Raises
    ------
    RuntimeError
        If the command fails.
    """
    env = dict(os.environ, ACCESSROUTE_BUILD_DIR=str(settings.build_dir))
    cwd = None
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
        cwd = str(tree)
    code = "import sys; from accessroute.cli import main; main(sys.argv[1:])"
    done = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
    )
    if done.returncode != 0:
        msg = f"accessroute {' '.join(args)} failed:\n{done.stderr[-2000:]}"
        raise RuntimeError(msg)
    wall = _WALL.search(done.stderr)
    rss = _RSS.search(done.stderr)
    if wall is None or rss is None:
        msg = f"no /usr/bin/time figures in:\n{done.stderr[-2000:]}"
        raise RuntimeError(msg)
    hours, minutes, seconds = wall.groups()
    wall_s = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    return Run(wall_s, int(rss.group(1)) / 1024)


def write_trips(path: Path) -> Path:
    """Write the batch's trips file (``BATCH_TRIPS``) and return its path."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["person", "area", "profile", "lang", "from", "to"])
        for n, (origin, destination, profile) in enumerate(BATCH_TRIPS, 1):
            writer.writerow([f"Person {n}", MOSCOW, profile, "ru", origin, destination])
    return path


def _median(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.wall_s for r in runs), statistics.median(r.peak_mib for r in runs)
    )


def main() -> None:
    """Measure both commands and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each command")
    parser.add_argument("--tree", type=Path, help="measure this checkout instead")
    options = parser.parse_args()
    tree = options.tree.resolve() if options.tree else None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        one = ["sheet", MOSCOW, "--from", SHEET_TRIP[0], "--to", SHEET_TRIP[1]]
        one += ["-o", str(folder / "sheet.pdf")]
        sheet_runs = [measure(one, tree=tree) for _ in range(options.runs)]
        trips = write_trips(folder / "trips.csv")
        batch = ["sheets", str(trips), "-o", str(folder / "out")]
        batch_runs = [measure(batch, tree=tree) for _ in range(options.runs)]
        made = len(list((folder / "out").glob("*.pdf")))
    load = os.getloadavg()[0]
    print(f"tree: {tree or 'this checkout'}; {options.runs} runs each; load average {load:.1f}")
    for name, runs in (
        ("sheet (1 leg, 1.3 km)", sheet_runs),
        (f"sheets ({made} rows)", batch_runs),
    ):
        median = _median(runs)
        each = ", ".join(f"{r.wall_s:.1f} s" for r in runs)
        print(f"{name}: median {median.wall_s:.1f} s, peak {median.peak_mib:.0f} MiB ({each})")
    per_row = _median(batch_runs).wall_s / max(made, 1)
    print(f"sheets: {per_row:.2f} s per row")


if __name__ == "__main__":
    main()
