"""No-route answers on random pairs: how many, how many carry a hint, and what explaining costs.

For each built area, ``--pairs`` random vertex pairs (fixed seed) are routed for every preset
profile. It prints, per area and profile, the no-route answers, those with at least one hint
(a relaxation checked by a real search), the enclosed side, and the time of an answer: p50/p95
of no-route answers beside those of found routes, and of the explanation alone (the time
spent in ``explain_no_route``, hints included). Figures, not checks::

    .venv/bin/python scripts/bench/noroute.py [--pairs 200] [--seed 15] [--max-km 2]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from typing import Any

import numpy as np

from routing_engine import engine as engine_module
from routing_engine.engine import Engine
from routing_engine.profiles import PROFILES

_SPENT: list[float] = []


def _timed(original: Any) -> Any:
    def explain(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            _SPENT.append(time.perf_counter() - started)

    return explain


def main() -> None:
    """Run the benchmark (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--max-km", type=float, default=2.0)
    args = parser.parse_args()
    engine_module.explain_no_route = _timed(engine_module.explain_no_route)  # type: ignore[attr-defined]
    engine = Engine.load()
    print(
        f"{'area':22}{'profile':20}{'no route':>9}{'hint':>6}{'from/to/both/isl':>18}"
        f"{'ok p50/p95 ms':>16}{'no-route p50/p95':>18}{'explain p50/p95':>17}"
    )
    for name, area in engine.areas.items():
        rng = np.random.default_rng(args.seed)
        lat_m = 111_195.0
        lon_m = lat_m * np.cos(np.radians(float(np.mean(area.lat))))
        pairs = []
        while len(pairs) < args.pairs:
            i, j = (int(k) for k in rng.choice(len(area.lon), 2, replace=False))
            d = np.hypot((area.lon[i] - area.lon[j]) * lon_m, (area.lat[i] - area.lat[j]) * lat_m)
            if d <= args.max_km * 1000:
                pairs.append(((area.lat[i], area.lon[i]), (area.lat[j], area.lon[j])))
        for profile in PROFILES:
            ok_times, nr_times, explain = [], [], []
            sides: Counter[str] = Counter()
            hinted = 0
            for a, b in pairs:
                _SPENT.clear()
                started = time.perf_counter()
                result = engine.route(a, b, profile=profile, area=name)
                spent = time.perf_counter() - started
                if result.status == "ok":
                    ok_times.append(spent)
                    continue
                nr_times.append(spent)
                explain.append(sum(_SPENT))
                info = result.no_route or {}
                sides["island" if info.get("island") else str(info.get("enclosed"))] += 1
                hinted += any(x.get("connects") for x in info.get("looser") or [])

            def q(values: list[float]) -> str:
                if not values:
                    return "-"
                p50, p95 = np.percentile(np.asarray(values) * 1000, [50, 95])
                return f"{p50:.1f}/{p95:.1f}"

            split = "/".join(str(sides[k]) for k in ("from", "to", "both", "island"))
            print(
                f"{name:22}{profile:20}{len(nr_times):>9}{hinted:>6}{split:>18}"
                f"{q(ok_times):>16}{q(nr_times):>18}{q(explain):>17}",
                flush=True,
            )


if __name__ == "__main__":
    main()
