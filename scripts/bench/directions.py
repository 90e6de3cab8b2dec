"""How fine the directions are: steps per km and short steps on random London routes.

Random vertex pairs of the largest connected piece of London (fixed seed), 0.5 to 3 km apart
as the crow flies, are routed for ``wheelchair_manual`` and ``walking``. For each profile it
prints:

- the median of steps per km (every step the reader sees, start and arrival included);
- the share of steps under 15 m, and ("short loose") the share of steps under 15 m that are
  neither a special step (crossing, steps, ramp, elevator, escalator), nor a step with a
  passed barrier (its ``step``, or one within 2 m of its ends), nor a real turn (a bearing
  change of 45 degrees or more from the step before, or for the first step, which has none,
  into the step after it; the bearings are those the steps carry);
- p50/p95 of the time ``Engine.route`` takes (milliseconds) and the median route time (min).

Then long routes like the issue's 6.6 km one: ``--long`` pairs (same seed) 4.5 to 5.5 km apart
as the crow flies, with, per profile, the median route length, steps, barriers passed and the
lines of the grouped barrier list (``barrier_groups``).

Run: ``.venv/bin/python scripts/bench/directions.py [--pairs 200] [--long 10] [--seed 17]``.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import LONDON, Stats, point

from accessroute import settings
from routing_engine import Engine
from routing_engine.area import AreaGraph

PROFILES = ("wheelchair_manual", "walking")
SHORT_M = 15.0
TURN_DEG = 45.0
SPECIAL = frozenset({"crossing", "steps", "ramp", "elevator", "escalator"})


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points, metres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def pairs(
    area: AreaGraph, count: int, seed: int, *, near: float = 500.0, far: float = 3000.0
) -> list[tuple[int, int]]:
    """``count`` vertex pairs of the largest piece, ``near`` to ``far`` metres apart."""
    parts = area.graph.connected_components(mode="weak")
    biggest = np.asarray(parts[int(np.argmax(parts.sizes()))], dtype=np.int64)
    rng = np.random.default_rng(seed)
    out: list[tuple[int, int]] = []
    while len(out) < count:
        a, b = (int(v) for v in rng.choice(biggest, size=2))
        if near <= _metres(point(area, a), point(area, b)) <= far:
            out.append((a, b))
    return out


def _near(step: dict[str, Any], barrier: dict[str, Any]) -> bool:
    return _metres((step["lat"], step["lon"]), (barrier["lat"], barrier["lon"])) < 2.0


def loose_short_steps(steps: list[dict[str, Any]], barriers: list[dict[str, Any]]) -> int:
    """Steps under 15 m that are not special, hold no barrier and are no real turn."""
    count = 0
    for i, step in enumerate(steps):
        if step["type"] == "arrive" or step["distance_m"] >= SHORT_M or step["type"] in SPECIAL:
            continue
        if any(b.get("step") == i + 1 for b in barriers):
            continue
        ends = [step, steps[i + 1]] if i + 1 < len(steps) else [step]
        if any(_near(s, b) for s in ends for b in barriers):
            continue
        other = steps[i - 1] if i > 0 else steps[i + 1] if i + 1 < len(steps) else step
        if _bend(other["bearing"], step["bearing"]) >= TURN_DEG:
            continue
        count += 1
    return count


def _bend(a: float, b: float) -> float:
    return abs((b - a + 540.0) % 360.0 - 180.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--long", type=int, default=10)
    parser.add_argument("--lang", default="ru")
    args = parser.parse_args()
    engine = Engine.load(settings.build_dir, names=[LONDON])
    area = engine.areas[LONDON]
    od = pairs(area, args.pairs, args.seed)
    print(f"{LONDON}: {len(od)} pairs, 0.5-3 km apart, seed {args.seed}, lang {args.lang}")
    print(
        f"{'profile':<19}{'found':>6}{'steps/km p50':>14}{'steps p50':>10}{'max':>5}"
        f"{'< 15 m':>8}{'short loose':>13}{'route ms p50/p95':>18}{'time min p50':>14}"
    )
    for name in PROFILES:
        per_km: list[float] = []
        counts: list[int] = []
        loose = short = total = 0
        seconds: list[float] = []
        minutes: list[float] = []
        for a, b in od:
            start = time.perf_counter()
            result = engine.route(
                point(area, a), point(area, b), profile=name, area=LONDON, lang=args.lang
            )
            seconds.append(time.perf_counter() - start)
            if not result.steps or result.length_m < 1:
                continue
            steps = result.steps
            per_km.append(len(steps) / (result.length_m / 1000.0))
            counts.append(len(steps))
            loose += loose_short_steps(steps, result.barriers)
            short += sum(s["type"] != "arrive" and s["distance_m"] < SHORT_M for s in steps)
            total += len(steps)
            minutes.append(result.duration_s / 60.0)
        stats = Stats.of(seconds)
        print(
            f"{name:<19}{len(per_km):>6}{float(np.median(per_km)):>14.1f}"
            f"{float(np.median(counts)):>10.0f}{max(counts):>5}"
            f"{100.0 * short / max(total, 1):>7.1f}%"
            f"{100.0 * loose / max(total, 1):>12.1f}%{stats!s:>18}"
            f"{float(np.median(minutes)):>14.1f}"
        )
    if args.long:
        long_routes(engine, area, args.long, args.seed, args.lang)


def long_routes(engine: Engine, area: AreaGraph, count: int, seed: int, lang: str) -> None:
    """Print the median length, steps, barriers and barrier groups of long routes."""
    od = pairs(area, count, seed, near=4500.0, far=5500.0)
    print(f"\n{count} long pairs, 4.5-5.5 km apart (medians)")
    print(
        f"{'profile':<19}{'found':>6}{'km':>6}{'steps':>7}{'steps/km':>10}{'barriers':>10}{'groups':>8}"
    )
    for name in PROFILES:
        rows = []
        for a, b in od:
            result = engine.route(
                point(area, a), point(area, b), profile=name, area=LONDON, lang=lang
            )
            if result.steps:
                km = result.length_m / 1000.0
                groups = len(result.to_dict()["barrier_groups"])
                rows.append(
                    (km, len(result.steps), len(result.steps) / km, len(result.barriers), groups)
                )
        if not rows:
            print(f"{name:<19}{0:>6}")
            continue
        med = np.median(np.array(rows, dtype=float), axis=0)
        print(
            f"{name:<19}{len(rows):>6}{med[0]:>6.1f}{med[1]:>7.0f}{med[2]:>10.1f}"
            f"{med[3]:>10.0f}{med[4]:>8.0f}"
        )


if __name__ == "__main__":
    main()
