"""Route request validation: the time to check 1000 valid ``POST /api/route`` bodies.

The bodies are drawn with a fixed seed: two points in Moscow, half of them with a profile and
a language, a third with overrides (a kerb limit and ``unknown``), a fifth naming the area;
each is JSON as a client sends it. Printed, best and median of ``--runs`` rounds over all
bodies, milliseconds per 1000:

- ``bytes->model``: ``RouteRequest.model_validate_json`` on the body's bytes with the loaded
  areas as context: what ``web.api.json_body`` does with a valid body (parsed and checked in
  one pass);
- ``model``: ``RouteRequest.model_validate`` on the parsed body (``web.api.validated``, the
  way a refused body takes to be worded);
- ``read+model``: that way from the bytes: ``json.loads``, ``web.errors.check_text`` (no lone
  surrogate), then the model;
- ``jsonschema_rs`` (when importable: schemathesis brings it): its compiled ``is_valid`` on
  the document's ``RouteRequest`` schema, the quick check the service used before the models,
  for comparison on the same machine and bodies;
- ``read+jsonschema_rs``: the same way from the bytes with that check instead of the model.

Run: ``.venv/bin/python scripts/bench/validation.py [--bodies 1000] [--runs 20] [--seed 19]``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from routing_engine.profiles import PROFILES
from web.errors import check_text
from web.models.api import RouteRequest
from web.openapi import openapi_spec

AREAS = ("berlin-wittenau", "london-northern-line", "moscow-kitay-gorod")


def bodies(count: int, seed: int) -> list[bytes]:
    """Valid route bodies as JSON bytes (fixed seed)."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        body: dict[str, Any] = {
            "from": {"lat": 55.75 + rng.random() / 100, "lon": 37.63 + rng.random() / 100},
            "to": {"lat": 55.75 + rng.random() / 100, "lon": 37.63 + rng.random() / 100},
        }
        if i % 2:
            body["profile"] = rng.choice(sorted(PROFILES))
            body["lang"] = rng.choice(["ru", "en"])
        if i % 3 == 0:
            body["overrides"] = {"max_kerb_cm": rng.choice([0, 3, 6]), "unknown": "forbid"}
        if i % 5 == 0:
            body["area"] = "moscow-kitay-gorod"
        out.append(json.dumps(body).encode())
    return out


def rounds(check: Callable[[Any], object], items: list[Any], runs: int) -> tuple[float, float]:
    """Best and median milliseconds of checking every item, over ``runs`` rounds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for item in items:
            check(item)
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    raw = bodies(args.bodies, args.seed)
    parsed = [json.loads(r) for r in raw]
    context = {"areas": dict.fromkeys(AREAS)}

    def model(body: Any) -> object:
        return RouteRequest.model_validate(body, context=context)

    def read_model(data: bytes) -> object:
        body = json.loads(data)
        check_text(body)
        return RouteRequest.model_validate(body, context=context)

    for item in parsed:  # every body is valid
        model(item)

    def from_bytes(data: bytes) -> object:
        return RouteRequest.model_validate_json(data, context=context)

    results = {
        "bytes->model": rounds(from_bytes, raw, args.runs),
        "model": rounds(model, parsed, args.runs),
        "read+model": rounds(read_model, raw, args.runs),
    }
    try:
        import jsonschema_rs
    except ImportError:
        jsonschema_rs = None
    if jsonschema_rs is not None:
        spec = openapi_spec(areas=AREAS)
        quick = jsonschema_rs.Draft202012Validator(
            {"$ref": "#/components/schemas/RouteRequest", "components": spec["components"]},
            validate_formats=False,
        )
        assert all(quick.is_valid(item) for item in parsed)

        def read_quick(data: bytes) -> object:
            body = json.loads(data)
            check_text(body)
            return quick.is_valid(body)

        results["jsonschema_rs"] = rounds(quick.is_valid, parsed, args.runs)
        results["read+jsonschema_rs"] = rounds(read_quick, raw, args.runs)
    print(f"{len(raw)} valid route bodies, {args.runs} rounds: ms per {len(raw)} (best, median)")
    for name, (best, median) in results.items():
        print(f"  {name:20s} {best:8.2f} {median:8.2f}")


if __name__ == "__main__":
    main()
