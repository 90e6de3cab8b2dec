"""Edge arrays read from hand-made rows: crossing shares, yes/no flags, missing columns."""

from __future__ import annotations

import numpy as np

from routing_engine.edge_arrays import SMOOTH_RANK, EdgeArrays
from routing_engine.profile import SMOOTHNESS_ORDER

CROSSING = {"kind": "crossing", "highway": "footway", "crossing": "marked"}


def test_a_crossing_edge_has_its_share_of_its_way_in_its_direction() -> None:
    rows = [
        {**CROSSING, "way_id": 7, "length_m": 4.0, "reversed": False},
        {**CROSSING, "way_id": 7, "length_m": 6.0, "reversed": False},
        {**CROSSING, "way_id": 7, "length_m": 4.0, "reversed": True},
        {"kind": "footway", "way_id": 8, "length_m": 10.0},
    ]
    share = EdgeArrays.from_records(rows).crossing_share
    np.testing.assert_allclose(share, [0.4, 0.6, 1.0, 0.0])


def test_without_way_ids_each_crossing_edge_pays_the_whole_crossing() -> None:
    rows = [{**CROSSING, "length_m": 4.0}, {**CROSSING, "length_m": 6.0}, {"kind": "footway"}]
    assert EdgeArrays.from_records(rows).crossing_share.tolist() == [1.0, 1.0, 0.0]


def test_flags_read_yes_true_and_one_and_nothing_else() -> None:
    values = ["yes", "true", "1", 1, True, "no", "0", 0, None, "maybe"]
    rows = [{"kind": "footway", "handrail": v} for v in values]
    handrail = EdgeArrays.from_records(rows).handrail
    assert handrail.tolist() == [True] * 5 + [False] * 5


def test_absent_columns_read_as_missing_and_smoothness_as_its_rank() -> None:
    rows = [{"kind": "footway", "smoothness": "bad"}, {"kind": "footway"}]
    arrays = EdgeArrays.from_records(rows)
    assert np.isnan(arrays.width_m).all()
    assert arrays.surface.tolist() == ["", ""]
    assert not arrays.steps.any()
    assert arrays.smooth_rank.tolist() == [SMOOTHNESS_ORDER.index("bad"), -1]
    assert SMOOTH_RANK["bad"] == SMOOTHNESS_ORDER.index("bad")
