"""Small helpers shared by the attribute modules: safe column access and cached value maps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd


def column(frame: pd.DataFrame, name: str) -> pd.Series:
    """Return a column as object values, or an all-missing column when absent.

    Parameters
    ----------
    frame
        The table.
    name
        Column name (an OSM tag key).

    Returns
    -------
    pandas.Series
        The column (object dtype, None for missing values).
    """
    if name not in frame.columns:
        return pd.Series(None, index=frame.index, dtype=object)
    series = frame[name].astype(object)
    return series.where(series.notna(), None)


def map_values(series: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    """Apply ``func`` once per distinct value of ``series`` (None for missing ones).

    Parameters
    ----------
    series
        Raw tag values.
    func
        Parser for one value; it is called with None for missing values too.

    Returns
    -------
    pandas.Series
        Parsed values, indexed like ``series`` (object dtype).
    """
    present = series.dropna()
    mapping = {value: func(value) for value in present.unique()}
    missing = func(None)
    result = present.map(mapping).reindex(series.index)
    return result.astype(object).where(series.notna(), missing)


def boolean(series: pd.Series) -> pd.Series:
    """Convert True/False/None values to pandas' nullable boolean dtype.

    Parameters
    ----------
    series
        Values True, False or None.

    Returns
    -------
    pandas.Series
        Nullable boolean.
    """
    return series.astype("boolean")


def string(series: pd.Series) -> pd.Series:
    """Convert str/None values to pandas' nullable string dtype.

    Parameters
    ----------
    series
        Values str or None.

    Returns
    -------
    pandas.Series
        Nullable string.
    """
    return series.astype("string")


def choose(conditions: list[Any], choices: list[Any], index: pd.Index) -> pd.Series:
    """Pick, per row, the choice of the first true condition (None where none holds).

    Parameters
    ----------
    conditions
        Boolean arrays or Series, in order of precedence.
    choices
        One value (or array) per condition.
    index
        Index of the result.

    Returns
    -------
    pandas.Series
        Object values.
    """
    conds = [np.asarray(c, dtype=bool) for c in conditions]
    none = np.array(None, dtype=object)
    picked = np.select(conds, [np.asarray(c, dtype=object) for c in choices], default=none)
    return pd.Series(picked, index=index, dtype=object)
