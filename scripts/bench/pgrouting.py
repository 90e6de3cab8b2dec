"""pgRouting's ``pgr_dijkstra`` as a peer: a throwaway PostgreSQL cluster on 127.0.0.1.

The cluster (Debian's ``postgresql-15`` with ``postgresql-15-pgrouting``, installed by
``make benchdeps``) lives in a temporary folder, listens on 127.0.0.1 only, and is stopped
and deleted when the ``Cluster`` block ends. As root, the server runs as ``postgres``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

import numpy as np
import psycopg
from common import free_port

from routing_engine.area import AreaGraph


class PgRoutingMissingError(RuntimeError):
    """The PostgreSQL server or the pgRouting extension is not installed."""


def _bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not found:
        msg = "PostgreSQL server missing: run `make benchdeps`"
        raise PgRoutingMissingError(msg)
    bindir = found[-1].parent
    version = bindir.parent.name
    if not Path(f"/usr/share/postgresql/{version}/extension/pgrouting.control").is_file():
        msg = f"pgRouting for PostgreSQL {version} missing: run `make benchdeps`"
        raise PgRoutingMissingError(msg)
    return bindir


class Cluster:
    """A PostgreSQL cluster with pgRouting, for one ``with`` block."""

    def __init__(self) -> None:
        self.bindir = _bindir()
        self.base = Path(tempfile.mkdtemp(prefix="accessroute-bench-pg-"))
        self.data = self.base / "data"
        self.port = free_port()
        self.as_user: list[str] = []
        self.conn: psycopg.Connection[tuple[object, ...]] | None = None

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True)

    def __enter__(self) -> Cluster:
        try:
            return self._start()
        except BaseException:
            self.__exit__(None, None, None)  # stop whatever started, delete the folder
            raise

    def _start(self) -> Cluster:
        if os.geteuid() == 0:  # the server refuses to run as root
            shutil.chown(self.base, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.base.chmod(0o755)
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"
        )
        options = f"-k {self.base} -c listen_addresses=127.0.0.1 -p {self.port} -F"
        self._run(
            str(self.bindir / "pg_ctl"),
            *("-D", str(self.data), "-o", options, "-l", str(self.base / "log"), "-w", "start"),
        )
        self.conn = psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        )
        self.conn.execute("CREATE EXTENSION pgrouting CASCADE")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.conn is not None:
            self.conn.close()
        try:
            if (self.data / "postmaster.pid").is_file():
                pg_ctl = str(self.bindir / "pg_ctl")
                self._run(pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    @property
    def version(self) -> str:
        """PgRouting's version."""
        assert self.conn is not None
        row = self.conn.execute("SELECT pgr_version()").fetchone()
        return str(row[0]) if row else "?"

    def load_edges(self, table: str, area: AreaGraph, cost: np.ndarray) -> int:
        """Write the passable edges (id, source, target, cost) into a new table; return count."""
        assert self.conn is not None
        ok = np.flatnonzero(np.isfinite(cost))
        self.conn.execute(f"DROP TABLE IF EXISTS {table}")
        self.conn.execute(
            f"CREATE TABLE {table} (id bigint PRIMARY KEY, source bigint, target bigint, "
            "cost double precision)"
        )
        with self.conn.cursor() as cur, cur.copy(f"COPY {table} FROM STDIN") as copy:
            columns = (ok, area.u[ok], area.v[ok], cost[ok])
            for row in zip(*(c.tolist() for c in columns), strict=True):
                copy.write_row(row)
        self.conn.execute(f"ANALYZE {table}")
        return len(ok)

    def dijkstra(self, table: str, source: int, target: int) -> float | None:
        """Cost of the least-cost path by ``pgr_dijkstra`` (None when there is none)."""
        assert self.conn is not None
        row = self.conn.execute(
            "SELECT agg_cost FROM pgr_dijkstra(%s, %s::bigint, %s::bigint, directed => true) "
            "WHERE edge = -1",
            (f"SELECT id, source, target, cost FROM {table}", source, target),
        ).fetchone()
        return None if row is None else float(row[0])  # type: ignore[arg-type]
