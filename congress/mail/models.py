"""The outbox: every mail, from the transaction that causes it until a server takes it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from congress.db import UTCDateTime, enum_column, utcnow
from congress.extensions import db


class MailState(enum.Enum):
    # Waiting for its first try, or for the next one after a failure (next_attempt_at).
    QUEUED = "queued"
    # A worker holds it (claim, claimed_until) and is sending it.
    SENDING = "sending"
    SENT = "sent"
    # Every try failed, or the server refused it for good: never sent by itself again.
    FAILED = "failed"
    # The worker died after handing the message to the SMTP server and before it heard
    # back: the server may have it. Not sent again unless someone asks (see outbox.py).
    UNCERTAIN = "uncertain"


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The idempotency key: names the job, the claim and the .eml file of this one message.
    key: Mapped[str] = mapped_column(String(32), unique=True)
    message_id: Mapped[str] = mapped_column(String(250))
    congress_id: Mapped[int | None] = mapped_column(
        ForeignKey("congresses.id", ondelete="SET NULL"), index=True
    )
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    language: Mapped[str] = mapped_column(String(5))
    template: Mapped[str] = mapped_column(String(80))
    # The whole message as it goes out (RFC 5322, UTF-8 text: backups carry it as JSON),
    # rendered when it was queued.
    raw: Mapped[str] = mapped_column(Text)
    state: Mapped[MailState] = mapped_column(
        enum_column(MailState), default=MailState.QUEUED, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Who holds it while sending, and until when: a worker that dies loses it then.
    claim: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set just before the message's content goes to the SMTP server (DATA).
    handed_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
