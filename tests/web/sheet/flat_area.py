"""A hand-made stand-in for a loaded area: 1e-5 degree is 1 metre, one edge per status given."""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from routing_engine.area import AreaGraph

#: Degrees per metre of the flat area.
DEG = 1e-5


class FlatArea:
    """What sheet planning reads of an area: ``project`` and the edges' elevator status."""

    def __init__(self, elevator_status: list[Any] | None = None) -> None:
        self.edges = pd.DataFrame({"elevator_status": elevator_status or [None]})

    def project(
        self, lon: npt.ArrayLike, lat: npt.ArrayLike
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Degrees to metres: x = lon / ``DEG``, y = lat / ``DEG``."""
        return np.asarray(lon, dtype=float) / DEG, np.asarray(lat, dtype=float) / DEG


def flat_area(elevator_status: list[Any] | None = None) -> AreaGraph:
    """A ``FlatArea`` typed as the area it stands in for."""
    return cast(AreaGraph, FlatArea(elevator_status))
