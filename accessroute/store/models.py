"""The database tables: reports, overlays, operators, API tokens and the audit log."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> dt.datetime:
    """Now, in UTC, timezone-aware."""
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A moment stored in UTC and read back aware (UTC), on every database.

    SQLite keeps no zone: SQLAlchemy writes an aware time's wall clock and drops its offset, so
    ``12:00+05:00`` would come back as ``12:00`` and be read as UTC, five hours off. Converting
    to UTC before writing makes every stored time UTC; a naive time is taken as UTC (as
    ``web.operators.forms.parse_time`` does). PostgreSQL (``timestamptz``) was right already.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        """UTC, aware, before it is written (or compared with)."""
        if not isinstance(value, dt.datetime):
            return value  # type: ignore[no-any-return]
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        """Aware UTC, as read (SQLite gives naive UTC back)."""
        if not isinstance(value, dt.datetime):
            return value  # type: ignore[no-any-return]
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Base class of the tables."""


#: Kinds of barrier a citizen can report.
REPORT_KINDS = (
    "elevator_broken",
    "ramp_blocked",
    "kerb_high",
    "steps_no_ramp",
    "surface_bad",
    "roadworks",
    "snow_ice",
    "obstacle",
    "other",
)
#: Letters of a report's public reference: digits and capitals a reader cannot confuse (no 0/O,
#: 1/I/L, 5/S, 2/Z, 8/B, U/V).
REF_ALPHABET = "34679ACDEFGHJKMNPQRTWXY"
#: Characters in a public reference: 12 of 23 letters, about 54 bits, so that references
#: cannot be guessed or paged through (the report number stays for staff).
REF_LENGTH = 12


def new_ref() -> str:
    """A new public reference for a report, written in groups of four: ``"K7QM-3XPD-9RHT"``."""
    raw = "".join(secrets.choice(REF_ALPHABET) for _ in range(REF_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, REF_LENGTH, 4))


#: Report states: new -> accepted (an overlay is made) or rejected (with a reason).
REPORT_STATES = ("new", "accepted", "rejected")
#: Overlay kinds read by the routing engine.
OVERLAY_KINDS = ("elevator_out_of_service", "closure", "closure_area")


class Report(Base):
    """A barrier reported by a citizen."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The citizen's reference to the report (``new_ref``); the number ``id`` is for staff.
    ref: Mapped[str] = mapped_column(String(20), default=new_ref)
    area: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str | None] = mapped_column(String(200), nullable=True)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    photo_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    #: JPEG thumbnail of the photo for the operators' list (made at upload, or once on demand
    #: for a photo stored before thumbnails were made).
    thumbnail: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="new")
    reject_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    client_key: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    overlay_id: Mapped[int | None] = mapped_column(ForeignKey("overlays.id"), nullable=True)

    overlay: Mapped[Overlay | None] = relationship()

    __table_args__ = (
        Index("ix_reports_status", "status"),
        Index("ix_reports_ref", "ref", unique=True),
        Index("ix_reports_client_time", "client_key", "created_at"),
    )


class Overlay(Base):
    """A live change to the graph: an elevator out of service or a closure, in a time window."""

    __tablename__ = "overlays"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(Text)
    starts: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    ends: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(100), default="operator")
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    removed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    __table_args__ = (Index("ix_overlays_area_live", "area", "removed_at"),)


class Operator(Base):
    """A member of city staff who moderates reports and sets overlays."""

    __tablename__ = "operators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    #: Bumped at logout, password change and disabling: every login session made before
    #: carries the old number and is refused.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class ApiToken(Base):
    """A token for machine feeds (elevator operators); only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class AuditEntry(Base):
    """Who changed what, and when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    #: Failed logins are counted by action and time (``auth`` throttles on them).
    __table_args__ = (Index("ix_audit_log_action_at", "action", "at"),)
