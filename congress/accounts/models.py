"""Accounts: the people who sign in, and what they may do."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from congress.congresses.models import Congress, organisers
from congress.db import UTCDateTime, utcnow
from congress.extensions import db


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased: one account per address whatever its spelling.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(2), default="en")
    is_admin: Mapped[bool] = mapped_column(default=False)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Raised to end every session of the account on every device (signing out, a new
    # password, an administrator's "sign out everywhere"): each session and remember
    # cookie carries the version it was signed in under, and an older one is refused.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    organised_congresses: Mapped[list[Congress]] = relationship(secondary=organisers)

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember cookie: id and version."""
        return f"{self.id}:{self.session_version}"

    @validates("email")
    def _normalise_email(self, _key: str, email: str) -> str:
        return email.strip().lower()
