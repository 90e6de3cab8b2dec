"""Describing a path with arrays: the same answers as the piece-by-piece code it replaced."""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import numpy as np
import pytest
import shapely
from shapely.geometry import mapping

from routing_engine import Engine, RouteResult
from routing_engine.area import AreaGraph
from routing_engine.barriers import barrier_entry, passed_barriers
from routing_engine.directions import _round_m
from routing_engine.edge_arrays import EdgeArrays
from routing_engine.incline import incline_profile
from routing_engine.path_arrays import PathArrays, line_coords, point_at
from routing_engine.path_numbers import first_true, rounded, rounded_sum, rounded_sums, runs
from routing_engine.profiles import get_profile
from routing_engine.records import Barrier
from routing_engine.search import Path, Piece
from routing_engine.segments import segments
from tests.data import LONDON


@pytest.fixture(scope="module")
def area(engine: Engine) -> AreaGraph:
    return engine.areas[LONDON]


@pytest.fixture(scope="module")
def pieces(area: AreaGraph) -> tuple[Piece, ...]:
    """A partial first edge, whole edges, a zero-length piece and a partial last edge."""
    edges = [int(e) for e in np.flatnonzero(area.attrs.length_m > 5)[:6]]
    return (
        Piece(edges[0], 0.25, 1.0),
        *(Piece(e) for e in edges[1:4]),
        Piece(edges[4], 0.5, 0.5),
        Piece(edges[5], 0.0, 0.6),
    )


def test_path_arrays_match_the_pieces_one_by_one(
    area: AreaGraph, pieces: tuple[Piece, ...]
) -> None:
    path = PathArrays.of(area, pieces)
    assert PathArrays.of(area, path) is path
    for i, p in enumerate(pieces):
        assert tuple(path.head[i]) == point_at(area, p.edge, p.start)
        assert tuple(path.tail[i]) == point_at(area, p.edge, p.end)
        assert path.lengths[i] == area.attrs.length_m[p.edge] * (p.end - p.start)
        assert path.enters[i] == (p.end == 1.0 and p.end > p.start)
    assert path.attrs.kind.tolist() == area.attrs.kind[list(path.edges)].tolist()


def test_path_arrays_from_a_found_path_equal_those_from_its_pieces(
    area: AreaGraph, pieces: tuple[Piece, ...]
) -> None:
    found = Path(
        cost_s=0.0,
        first=pieces[:1],
        middle=np.array([p.edge for p in pieces[1:4]], dtype=np.int64),
        last=pieces[4:],
    )
    fast, slow = PathArrays.from_path(area, found), PathArrays.of(area, found.pieces)
    for name in ("edges", "start", "end", "enters", "lengths", "head", "tail"):
        assert np.array_equal(getattr(fast, name), getattr(slow, name)), name


def _line_one_by_one(area: AreaGraph, pieces: tuple[Piece, ...]) -> list[list[float]]:
    """The line as it was built before: point by point, dropping repeats."""
    out: list[list[float]] = []
    for p in pieces:
        for fraction in (p.start, p.end):
            point = list(point_at(area, p.edge, fraction))
            if not out or out[-1] != point:
                out.append(point)
    if len(out) == 1:
        out.append(list(out[0]))
    return out


def test_line_coords_equal_the_point_by_point_line(
    area: AreaGraph, pieces: tuple[Piece, ...]
) -> None:
    assert line_coords(area, pieces).tolist() == _line_one_by_one(area, pieces)
    single = (Piece(pieces[1].edge, 0.5, 0.5),)
    assert line_coords(area, single).tolist() == _line_one_by_one(area, single)
    assert len(line_coords(area, single)) == 2


def test_incline_profile_rows_add_up_as_before(area: AreaGraph) -> None:
    a = area.attrs
    inclined = np.flatnonzero(~np.isnan(a.incline_pct))
    flat = np.flatnonzero(np.isnan(a.incline_pct) & ~a.incline_low_confidence)
    flat = flat[a.incline_source[flat] == a.incline_source[flat[0]]]
    order = [flat[0], flat[1], flat[2], inclined[0], inclined[0], flat[3]]
    pieces = tuple(Piece(int(e)) for e in order)
    rows = incline_profile(area, pieces)
    lengths = [float(a.length_m[e]) for e in order]
    assert [r.incline_pct is None for r in rows] == [True, False, True]
    # Lengths of merged pieces are summed rounding at each step, distances are not rounded
    # until written.
    assert rows[0].length_m == round(round(round(lengths[0], 2) + lengths[1], 2) + lengths[2], 2)
    assert rows[1].distance_m == round(lengths[0] + lengths[1] + lengths[2], 2)
    assert rows[2].distance_m == round(sum(lengths[:5]), 2)


def test_runs_split_where_any_key_changes() -> None:
    kinds = np.array(["a", "a", "a", "b", "b", "b"])
    incline = np.array([1.0, 1.0, np.nan, np.nan, np.nan, 2.0])
    starts, stops = runs(kinds, incline)
    assert starts.tolist() == [0, 2, 3, 5]
    assert stops.tolist() == [2, 3, 5, 6]
    empty = runs(np.array([], dtype=str))
    assert empty[0].tolist() == empty[1].tolist() == []


def _reprs(values: Any) -> list[str]:
    """Each value's repr (tells -0.0 from 0.0 and compares NaN)."""
    return [repr(v) for v in np.asarray(values, dtype=float).ravel().tolist()]


@pytest.mark.parametrize("digits", [1, 2, 7])
def test_rounded_is_pythons_round_even_next_to_halves(digits: int) -> None:
    rng = np.random.default_rng(digits)
    whole = rng.integers(-(10**9), 10**9, 20_000)
    off = rng.choice([-1, 1], len(whole)) * 10.0 ** rng.integers(-15, -2, len(whole))
    values = np.concatenate(
        [
            (whole + 0.5 + off) / 10**digits,  # next to a half, on either side
            (whole + 0.5) / 10**digits,  # the double nearest a half
            rng.uniform(-180, 180, 20_000),
            [0.0, -0.0, -1e-9, np.nan, 2.675, 1.005, 0.125, 2.0**52 + 0.5, 1e300, 5e-324],
        ]
    )
    assert _reprs(rounded(values, digits)) == _reprs([round(v, digits) for v in values.tolist()])
    assert rounded(values[:4].reshape(2, 2), digits).shape == (2, 2)
    # numpy's own rounding is not the same:
    assert float(np.round(2.675, 2)) != round(2.675, 2) == rounded([2.675], 2)[0]


def test_rounded_sums_are_the_sums_one_by_one() -> None:
    rng = np.random.default_rng(3)
    lengths = np.concatenate(
        [
            rng.uniform(0, 60, 2000),
            (rng.integers(0, 6000, 500) + 0.5) / 100 + rng.normal(0, 1e-7, 500),  # near halves
            [0.0, -0.0, 5.5, -0.0, np.nan, 3.0],
            rng.uniform(0, 60, 300),
        ]
    )
    new = rng.random(len(lengths) - 1) < 0.2
    new[2000:2100] = False  # one long run
    new[2500:2502] = True  # a run of one -0.0 (piece 2501)
    starts, stops = runs(np.cumsum(np.concatenate([[0], new])))
    sums = rounded_sums(lengths, starts, stops)
    one_by_one = [rounded_sum(lengths[i:j].tolist(), 2) for i, j in zip(starts, stops, strict=True)]
    assert _reprs(sums) == _reprs(one_by_one)


def test_first_true_picks_as_np_select() -> None:
    rng = np.random.default_rng(5)
    conditions = [rng.random(500) < share for share in (0.1, 0.3, 0.05, 0.5)]
    expected = np.select(conditions, [0, 1, 2, 3], default=4)
    assert first_true(conditions).tolist() == expected.tolist()


def test_piece_columns_are_taken_as_take_takes_them(
    area: AreaGraph, pieces: tuple[Piece, ...]
) -> None:
    path = PathArrays.of(area, pieces)
    taken = area.attrs.take(path.edges)
    assert isinstance(path.attrs, EdgeArrays)
    assert len(path.attrs) == len(taken)
    for name in EdgeArrays.__dataclass_fields__:
        column = getattr(path.attrs, name)
        assert column.dtype == getattr(taken, name).dtype, name
        assert np.array_equal(column, getattr(taken, name), equal_nan=column.dtype.kind == "f")
        assert getattr(path.attrs, name) is column  # taken once


def test_spoken_distances_round_as_before() -> None:
    def one(metres: float) -> int:  # the rule as it was written for one distance
        step = 5 if metres < 100 else 10
        return max(step, int(round(metres / step) * step)) if metres >= 1 else 0

    metres = np.concatenate([np.arange(0, 300, 0.25), [0.999, 1.0, 12.5, 97.5, 99.99, 105.0]])
    assert _round_m(metres) == [one(m) for m in metres.tolist()]


def test_barriers_passed_are_each_as_barrier_entry_gives(engine: Engine, area: AreaGraph) -> None:
    profile = get_profile("walking")
    weights = engine.weights_for(area, profile)
    found = 0
    for lat, lon, lat2, lon2 in [
        (51.5007, -0.1246, 51.5033, -0.1195),
        (51.5136, -0.1280, 51.5007, -0.1246),
        (51.4950, -0.1000, 51.5136, -0.1280),
    ]:
        _, path = engine._snap_and_search(area, weights, (lat, lon), (lat2, lon2))
        assert path is not None
        for lang in ("ru", "en"):
            for entry in passed_barriers(area, PathArrays.from_path(area, path), profile, lang):
                at_end = entry.type in {"kerb", "barrier", "elevator"}
                alone = barrier_entry(area, entry.edge, entry.type, lang, at_end=at_end)
                fields = entry.as_dict()
                step = fields.pop("step")  # the directions' step it belongs to
                assert isinstance(step, int)
                assert step >= 1
                assert Barrier(**fields) == alone
                found += 1
    assert found > 10


def test_no_negative_zero_in_inclines(area: AreaGraph, pieces: tuple[Piece, ...]) -> None:
    # A flat way walked backwards, or one falling by less than half a hundredth of a per cent
    # (Berlin's elevation data has them), must not reach the answer as "-0.0".
    incline = area.attrs.incline_pct.copy()
    incline[[p.edge for p in pieces]] = [-0.0, -0.004, -0.0, -0.001, -0.0, -0.0]
    tilted = dataclasses.replace(area, attrs=dataclasses.replace(area.attrs, incline_pct=incline))
    profile = get_profile("walking")
    rows = segments(tilted, pieces, profile) + incline_profile(tilted, pieces)
    values = [r.incline_pct for r in rows if r.incline_pct is not None]
    assert values
    assert all(v == 0 and math.copysign(1.0, v) > 0 for v in values)


def test_lines_are_snapped_to_a_ten_millionth_of_a_degree(engine: Engine) -> None:
    result: RouteResult = engine.route(
        (51.5007, -0.1246), (51.5033, -0.1195), profile="wheelchair_manual", lang="en"
    )
    data = result.to_dict()
    snapped = mapping(shapely.set_precision(result.geometry, 1e-7))
    assert data["geometry"] == json.loads(json.dumps(snapped))
