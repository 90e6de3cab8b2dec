"""Seconds spent per phase of an analysis (the ``timings`` of a report)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class Phases:
    """A clock of named phases, started when made; a phase timed again adds up.

    Phases may nest or overlap (the many-to-many searches run inside the estimate and the
    what-if phases); each name counts its own time. Not thread-safe: one per analysis.
    """

    def __init__(self) -> None:
        self._started = time.perf_counter()
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        """Time the block as phase ``name``.

        Parameters
        ----------
        name
            The phase.

        Yields
        ------
        None
            While the block runs.
        """
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start

    def elapsed(self) -> float:
        """Seconds since the clock was made.

        Returns
        -------
        float
            Seconds.
        """
        return time.perf_counter() - self._started
