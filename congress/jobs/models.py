"""The record of each job: what ran, how often it was tried, and how it ended."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from congress.db import UTCDateTime, enum_column, utcnow
from congress.extensions import db


class JobState(enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    # Failed at least once; the queue tries it again after a pause that doubles each time.
    RETRYING = "retrying"
    DONE = "done"
    # Every try failed: it will not run again by itself.
    FAILED = "failed"


class JobRun(db.Model):
    """One job on the queue, from enqueueing to its end, by the queue's message id."""

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(36), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    arguments: Mapped[list] = mapped_column(JSON)
    # The congress the job works for, so that its organisers see it.
    congress_id: Mapped[int | None] = mapped_column(
        ForeignKey("congresses.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[JobState] = mapped_column(enum_column(JobState), default=JobState.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
