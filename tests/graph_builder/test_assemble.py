"""The accessibility tables: kerbs, steps, elevators, inclines, on a fixture and real extracts."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import osmium
import pandas as pd
import pytest

from graph_builder.artifact import Artifact
from graph_builder.assemble import accessibility_tables, to_igraph
from graph_builder.osm_reader import read_osm
from graph_builder.pedestrian import is_walkable_way
from tests.data import BERLIN, LONDON, MOSCOW, area_source

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def tiny() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    graph, _ = read_osm(FIXTURES / "tiny.osm")
    return accessibility_tables(graph)


def _edge(edges: gpd.GeoDataFrame, u: int, v: int) -> pd.Series:
    row = edges[(edges["u_osm"] == u) & (edges["v_osm"] == v)]
    assert len(row) == 1, (u, v)
    return row.iloc[0]


def test_kerb_lines_put_kerbs_on_shared_nodes(tiny: tuple[gpd.GeoDataFrame, ...]) -> None:
    nodes, edges = tiny
    by_id = nodes.set_index("osm_id")
    # Node 1 lies on kerb line 200 (kerb=lowered): lowered, 3 cm from the type.
    assert by_id.loc[1, "kerb"] == "lowered"
    assert by_id.loc[1, "kerb_height_cm"] == 3.0
    assert by_id.loc[1, "kerb_source"] == "kerb_line"
    # Node 3 lies on kerb line 201 with no kerb=*: an unknown kerb with no height.
    assert by_id.loc[3, "kerb"] == "unknown"
    assert np.isnan(by_id.loc[3, "kerb_height_cm"])
    # Node 2's own tags win: raised, kerb:height=0.12 -> 12 cm.
    assert by_id.loc[2, "kerb"] == "raised"
    assert by_id.loc[2, "kerb_height_cm"] == 12.0
    assert by_id.loc[2, "kerb_height_source"] == "tag"
    # Kerb lines never become walkable edges.
    assert not edges["way_id"].isin([200, 201]).any()


def test_kerb_costs_sit_on_entering_edges(tiny: tuple[gpd.GeoDataFrame, ...]) -> None:
    _, edges = tiny
    assert _edge(edges, 1, 2)["kerb_height_cm"] == 12.0  # entering node 2
    assert _edge(edges, 1, 2)["kerb_node"] == 2
    assert _edge(edges, 2, 1)["kerb"] == "lowered"  # entering node 1
    assert _edge(edges, 4, 5)["kerb"] is pd.NA  # no kerb at node 5


def test_crossing_attributes(tiny: tuple[gpd.GeoDataFrame, ...]) -> None:
    _, edges = tiny
    crossing = _edge(edges, 1, 2)
    assert crossing["kind"] == "crossing"
    assert crossing["crossing"] == "signals"
    assert bool(crossing["traffic_signals_sound"]) is True


def test_incline_flips_with_direction(tiny: tuple[gpd.GeoDataFrame, ...]) -> None:
    _, edges = tiny
    assert _edge(edges, 4, 5)["incline_pct"] == -8.0  # drawn 4 -> 5 with incline=-8%
    assert _edge(edges, 5, 4)["incline_pct"] == 8.0
    up = _edge(edges, 3, 4)  # steps drawn 3 -> 4, incline=up
    assert up["incline_pct"] == 10.0
    assert bool(up["incline_low_confidence"])
    assert _edge(edges, 4, 3)["incline_pct"] == -10.0


def test_steps_escalator_elevator_width(tiny: tuple[gpd.GeoDataFrame, ...]) -> None:
    nodes, edges = tiny
    steps = _edge(edges, 3, 4)
    assert bool(steps["steps"])
    assert steps["step_count"] == 5
    assert bool(steps["handrail"])
    assert _edge(edges, 8, 7)["conveying"] == "with"
    assert _edge(edges, 7, 8)["conveying"] == "against"
    assert _edge(edges, 8, 7)["elevator_id"] == "node/7"
    assert bool(nodes.set_index("osm_id").loc[7, "elevator"])
    footway = _edge(edges, 4, 5)
    assert footway["width_m"] == 1.5
    assert footway["surface"] == "paving_stones"


def test_igraph_matches_tables(tiny: tuple[gpd.GeoDataFrame, ...]) -> None:
    nodes, edges = tiny
    graph = to_igraph(nodes, edges)
    assert graph.vcount() == len(nodes)
    assert graph.ecount() == len(edges)
    for edge in graph.es:
        row = edges.iloc[edge.index]
        assert (edge.source, edge.target) == (row["u"], row["v"])
        assert graph.vs[edge.source]["osm_id"] == row["u_osm"]


# --- real extracts, counted independently with pyosmium -------------------------------------


def _independent_counts(path: Path) -> dict[str, int]:
    """Count directed step edges and elevator nodes on walkable ways straight from the file."""
    elevators = {
        n.id
        for n in osmium.FileProcessor(str(path), osmium.osm.NODE)
        if n.tags.get("highway") == "elevator"
    }
    step_edges = 0
    on_ways: set[int] = set()
    for way in osmium.FileProcessor(str(path), osmium.osm.WAY):
        tags = dict(way.tags)
        if not is_walkable_way(tags):
            continue
        refs = [n.ref for n in way.nodes]
        segments = sum(1 for a, b in itertools.pairwise(refs) if a != b)
        if tags.get("highway") == "steps":
            step_edges += 2 * segments
        on_ways.update(r for r in refs if r in elevators)
    return {"step_edges": step_edges, "elevators": len(on_ways)}


@pytest.mark.parametrize("name", [MOSCOW, BERLIN, LONDON])
def test_counts_match_an_independent_count(name: str, built: Callable[[str], Artifact]) -> None:
    artifact = built(name)
    expected = _independent_counts(area_source(name))
    assert int(artifact.edges["steps"].sum()) == expected["step_edges"]
    assert int(artifact.nodes["elevator"].sum()) == expected["elevators"]
    assert artifact.meta["counts"]["steps_edges"] == expected["step_edges"]


def test_shipped_counts(built: Callable[[str], Artifact]) -> None:
    """The figures data/SOURCES.md quotes: 29 steps ways in Moscow, elevators in London."""
    assert built(MOSCOW).meta["counts"]["steps_ways"] == 29
    assert built(LONDON).meta["counts"]["elevators"] == 37  # 41 in the file, 37 on walkable ways


def test_moscow_kerb_line_crossing_gets_a_kerb(built: Callable[[str], Artifact]) -> None:
    """A footway=crossing sharing a node with an untagged barrier=kerb way gets that kerb."""
    path = area_source(MOSCOW)
    kerb_line_nodes: dict[int, set[str | None]] = {}
    crossing_nodes: set[int] = set()
    tagged_nodes = {
        n.id
        for n in osmium.FileProcessor(str(path), osmium.osm.NODE)
        if "kerb" in n.tags or n.tags.get("barrier") == "kerb"
    }
    for way in osmium.FileProcessor(str(path), osmium.osm.WAY):
        refs = [n.ref for n in way.nodes]
        if way.tags.get("barrier") == "kerb" and "highway" not in way.tags:
            for ref in refs:
                kerb_line_nodes.setdefault(ref, set()).add(way.tags.get("kerb"))
        elif way.tags.get("footway") == "crossing":
            crossing_nodes.update(refs)
    shared = (set(kerb_line_nodes) & crossing_nodes) - tagged_nodes
    assert len(shared) > 20
    artifact = built(MOSCOW)
    nodes = artifact.nodes.set_index("osm_id")
    untagged_line = [n for n in shared if kerb_line_nodes[n] == {None}]
    lowered_line = [n for n in shared if "lowered" in kerb_line_nodes[n]]
    assert untagged_line
    assert lowered_line
    assert (nodes.loc[untagged_line, "kerb"] == "unknown").all()
    assert nodes.loc[untagged_line, "kerb_height_cm"].isna().all()
    assert (nodes.loc[lowered_line, "kerb"] == "lowered").all()
    assert (nodes.loc[sorted(shared), "kerb_source"] == "kerb_line").all()
    edges = artifact.edges
    entering = edges[edges["v_osm"].isin(shared)]
    assert (entering["kerb_node"] == entering["v_osm"]).all()
    assert entering["kerb"].notna().all()


@pytest.mark.parametrize("name", [MOSCOW, LONDON])
def test_real_inclines_flip_with_direction(name: str, built: Callable[[str], Artifact]) -> None:
    edges = built(name).edges
    tagged = edges[edges["incline_pct"].notna()]
    assert len(tagged) > 100
    pairs = tagged.merge(
        tagged, left_on=["u", "v", "way_id"], right_on=["v", "u", "way_id"], suffixes=("", "_back")
    )
    assert len(pairs) == len(tagged)
    assert np.allclose(pairs["incline_pct"], -pairs["incline_pct_back"])
    assert (pairs["reversed"] != pairs["reversed_back"]).all()


def test_edge_geometry_runs_in_travel_direction(built: Callable[[str], Artifact]) -> None:
    artifact = built(MOSCOW)
    edges, nodes = artifact.edges, artifact.nodes
    start = np.array([geom.coords[0] for geom in edges.geometry])
    assert np.allclose(start[:, 0], nodes["x"].to_numpy()[edges["u"].to_numpy()])
    assert np.allclose(start[:, 1], nodes["y"].to_numpy()[edges["u"].to_numpy()])
    end = np.array([geom.coords[-1] for geom in edges.geometry])
    assert np.allclose(end[:, 0], nodes["x"].to_numpy()[edges["v"].to_numpy()])
