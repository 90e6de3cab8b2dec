"""Time of writing the API's route body (``route_json``) on 200 random London routes.

Random vertex pairs of the largest connected piece of London (``common.vertex_pairs``, fixed
seed) are routed once each for ``wheelchair_manual`` (found routes and no-route answers alike);
then ``route_json`` of every result is timed, ``--repeat`` rounds over all of them (the best
round of each result is kept). It prints p50/p95 and the total per round (milliseconds), the
sum of each result's best time (the steadiest figure on a busy machine), the mean body size
and a SHA-256 of all the bodies, so a run before and after a change of the
serializer also shows whether the bytes are the same.

Run: ``.venv/bin/python scripts/bench/serialize.py [--pairs 200] [--repeat 5] [--seed 42]``.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import LONDON, Stats, point, vertex_pairs

from accessroute import settings
from routing_engine import Engine
from routing_engine.formats.json import route_json


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--lang", default="ru")
    args = parser.parse_args()
    engine = Engine.load(settings.build_dir, names=[LONDON])
    area = engine.areas[LONDON]
    results = [
        engine.route(point(area, a), point(area, b), area=LONDON, lang=args.lang)
        for a, b in vertex_pairs(area, args.pairs, seed=args.seed).tolist()
    ]
    best = [float("inf")] * len(results)
    rounds = []
    bodies: list[bytes] = []
    for _ in range(args.repeat):
        start_round = time.perf_counter()
        bodies = []
        for i, result in enumerate(results):
            start = time.perf_counter()
            bodies.append(route_json(result))
            best[i] = min(best[i], time.perf_counter() - start)
        rounds.append(time.perf_counter() - start_round)
    found = sum(r.status == "ok" for r in results)
    digest = hashlib.sha256(b"".join(bodies)).hexdigest()
    size = sum(map(len, bodies)) / len(bodies)
    print(f"{LONDON}: {len(results)} routes ({found} found), seed {args.seed}, lang {args.lang}")
    print(f"route_json ms p50/p95 (best of {args.repeat}): {Stats.of(best)}")
    print(f"all {len(results)} bodies, ms per round (best): {min(rounds) * 1000:.1f}")
    print(f"sum of each route's best, ms: {sum(best) * 1000:.1f}")
    print(f"mean body {size / 1024:.1f} KiB, sha256 {digest}")


if __name__ == "__main__":
    main()
