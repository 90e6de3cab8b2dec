"""Memory per area: the resident size an area adds to the app, each in a fresh process.

A child process creates the web app (engine, place index, street layers, database) on a build
folder holding only one area, and reports its resident set size (``VmRSS``) and Python's own
count of the allocated blocks. The same on an empty build folder is the baseline (the app
refuses to start without an area, after importing everything it uses): an area costs the
difference. The RSS of the running server's workers (all areas) is read by
``all.py`` from /proc.

Run alone: ``.venv/bin/python scripts/bench/memory.py [AREA ...]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from common import rss_kib

from accessroute import settings


@dataclass(frozen=True)
class AreaMemory:
    """What one area adds to a process, MiB."""

    area: str
    rss_mib: float
    delta_mib: float


def _child(build_dir: Path, data_dir: Path) -> None:
    """Create the app on ``build_dir`` and print the RSS before and after, KiB, as JSON."""
    from accessroute._errors import BuildArtifactError
    from web import create_app

    gc.collect()
    before = rss_kib()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            app = create_app(
                {
                    "BUILD_DIR": build_dir,
                    "DATA_DIR": data_dir,
                    "INSTANCE_DIR": tmp,
                    "DATABASE_URL": f"sqlite:///{tmp}/reports.sqlite3",
                }
            )
            areas = sorted(app.extensions["accessroute"].engine.areas)
        except BuildArtifactError:  # no area: the baseline, everything else imported
            areas = []
        gc.collect()
        after = rss_kib()
    print(json.dumps({"before": before, "after": after, "areas": areas}))


def _measure(build_dir: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(build_dir)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return result


def measure(names: list[str], *, build_dir: Path | None = None) -> tuple[float, list[AreaMemory]]:
    """Baseline RSS of the app without areas (MiB) and what each area adds to it."""
    source = Path(build_dir or settings.build_dir)
    with tempfile.TemporaryDirectory(prefix="accessroute-bench-mem-") as tmp:
        empty = Path(tmp) / "empty"
        empty.mkdir()
        base = _measure(empty)
        base_kib = int(base["after"])  # type: ignore[call-overload]
        rows = []
        for name in names:
            one = Path(tmp) / name
            one.mkdir()
            (one / name).symlink_to(source / name)
            got = _measure(one)
            if got["areas"] != [name]:
                msg = f"{name}: the app did not load it ({got['areas']})"
                raise RuntimeError(msg)
            after = int(got["after"])  # type: ignore[call-overload]
            rows.append(AreaMemory(name, after / 1024, (after - base_kib) / 1024))
    return base_kib / 1024, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("areas", nargs="*")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        _child(args.child, settings.data_dir)
        return
    names = args.areas or sorted(
        p.name for p in settings.build_dir.iterdir() if (p / "meta.json").is_file()
    )
    base, rows = measure(names)
    print(f"app without areas: {base:.0f} MiB RSS")
    print(f"{'area':<24}{'RSS MiB':>9}{'area adds MiB':>15}")
    for row in rows:
        print(f"{row.area:<24}{row.rss_mib:>9.0f}{row.delta_mib:>15.0f}")


if __name__ == "__main__":
    main()
