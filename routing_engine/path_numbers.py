"""Numbers along a path: rounding as Python rounds, runs of equal pieces, words for numbers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt


def fmt_number(value: float | None, digits: int = 0) -> str:
    """A number as texts show it, ``digits`` decimals; ``"?"`` for None or NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "?"
    return f"{value:.{digits}f}" if digits else f"{value:.0f}"


def num_or_none(value: float) -> float | None:
    """A value as entries carry it: rounded to 2 decimals, None for NaN."""
    return None if math.isnan(value) else round(float(value), 2)


def rounded(values: npt.ArrayLike, digits: int) -> npt.NDArray[np.float64]:
    """Python's ``round(x, digits)`` of each value, vectorised.

    ``np.round`` scales, rounds and scales back, which on some values close to a half gives
    another result than Python's correctly rounded ``round`` (``np.round(2.675, 2)`` is 2.68,
    ``round(2.675, 2)`` is 2.67). Here a value whose scaled product is clearly away from a
    half is rounded the numpy way, which then gives the very double Python's ``round`` gives,
    and the few others by ``round`` itself.

    Parameters
    ----------
    values
        Numbers, any shape (NaN stays NaN; numpy may warn about infinite or huge ones, which
        are still rounded as ``round`` does).
    digits
        Decimal places, 0 to 22.

    Returns
    -------
    numpy.ndarray
        ``round(float(x), digits)`` of each value.
    """
    x = np.asarray(values, dtype=np.float64)
    scale = 10.0**digits
    scaled = x * scale
    whole = np.rint(scaled)
    out: npt.NDArray[np.float64] = whole / scale
    # ``scaled`` is within a relative 2**-53 of the exact product: where it is farther than
    # that from a half (with a margin), the exact product rounds to the same integer.
    size = np.abs(scaled)
    near = (np.abs(scaled - whole) >= 0.5 - size * 2.0**-50) | (size == np.inf)
    for i in np.flatnonzero(near).tolist():
        out.flat[i] = round(float(x.flat[i]), digits)
    return out


def nan_none(values: npt.NDArray[np.float64]) -> list[float | None]:
    """The values as a list, NaN as None."""
    return [None if math.isnan(x) else x for x in values.tolist()]


def rounded_sum(values: list[float], digits: int) -> float:
    """Sum rounding at each step (how lengths of merged parts add up)."""
    total = round(values[0], digits)
    for value in values[1:]:
        total = round(total + value, digits)
    return total


def rounded_sums(
    values: npt.NDArray[np.float64], starts: npt.NDArray[np.intp], stops: npt.NDArray[np.intp]
) -> list[float]:
    """``rounded_sum`` to 2 decimals of each run of some values (``runs``: all the values).

    Rounding to cents at each step nearly always just adds up the values' own cents: that
    guess is made for all steps at once and checked against the rounding of each step; a run
    where a step differs is summed value by value.
    """
    if len(starts) == 0:
        return []
    cents = np.rint(values * 100.0)
    total = np.cumsum(cents)
    run_cents = total - np.repeat(total[starts] - cents[starts], stops - starts)
    guess = run_cents / 100.0
    previous = np.concatenate([[0.0], guess[:-1]])
    previous[starts] = -0.0  # adds nothing, not even a sign (a last piece may end at -0.0)
    step = previous + values
    # ``round(step, 2)`` is ``guess`` where the step is surely nearest its cents (as in
    # ``rounded``) and has the same sign; NaN never is.
    scaled = step * 100.0
    right = np.abs(scaled - run_cents) < 0.5 - np.abs(scaled) * 2.0**-50
    wrong = ~right | (np.signbit(step) != np.signbit(guess))
    sums: list[float] = guess[stops - 1].tolist()
    for run in np.logical_or.reduceat(wrong, starts).nonzero()[0].tolist():
        sums[run] = rounded_sum(values[starts[run] : stops[run]].tolist(), 2)
    return sums


def runs(*keys: npt.NDArray[Any]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Split a path into runs of consecutive pieces whose keys are all equal.

    Parameters
    ----------
    *keys
        One value per piece each (NaN equals NaN here).

    Returns
    -------
    tuple of numpy.ndarray
        Where each run starts, and where it stops (one past its last piece).
    """
    n = len(keys[0]) if keys else 0
    if n == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    new = np.zeros(n - 1, dtype=bool)
    for key in keys:
        differ = key[1:] != key[:-1]
        if key.dtype.kind == "f":
            differ &= ~(np.isnan(key[1:]) & np.isnan(key[:-1]))
        new |= differ
    return run_bounds(new)


def run_bounds(new: npt.NDArray[np.bool_]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Runs of a path from where they change: ``new[i]`` says piece ``i + 1`` starts one.

    Parameters
    ----------
    new
        One value per piece but the first (which always starts a run); a path of no pieces has
        no runs, see ``runs``.

    Returns
    -------
    tuple of numpy.ndarray
        As ``runs``: where each run starts, and where it stops.
    """
    starts = np.concatenate([[0], new.nonzero()[0] + 1])
    return starts, np.append(starts[1:], len(new) + 1)


def first_true(conditions: Sequence[npt.NDArray[np.bool_]]) -> npt.NDArray[np.intp]:
    """Index of the first of some conditions that holds at each position (as ``np.select``).

    Parameters
    ----------
    conditions
        Boolean arrays of one length (at least one).

    Returns
    -------
    numpy.ndarray
        Per position, the index of the first true condition, ``len(conditions)`` if none is.
    """
    out = np.full(len(conditions[0]), len(conditions), dtype=np.intp)
    for i in reversed(range(len(conditions))):
        out[conditions[i]] = i
    return out
