"""The search index: one row per searchable thing and language, in normal form."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from congress.db import enum_column
from congress.extensions import db


class SearchKind(enum.Enum):
    """What a row points at, in the order the results page groups them."""

    CONGRESS = "congress"
    SESSION = "session"
    DOCUMENT = "document"
    DELEGATION = "delegation"
    RECORD = "record"  # a published follow-up record (congress/monitoring/)
    STATEMENT = "statement"  # a delegation's published statement (congress/statements/)
    MATERIAL = "material"  # a session's document: concept note, presentation, report


class SearchEntry(db.Model):
    """The text a visitor may find ``object_id`` by on a page in ``language``.

    ``text`` is already normalised (see :mod:`congress.search.normalise`), so a
    plain ``LIKE`` finds it on SQLite and PostgreSQL alike.
    """

    __tablename__ = "search_index"
    __table_args__ = (UniqueConstraint("kind", "object_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SearchKind] = mapped_column(enum_column(SearchKind))
    object_id: Mapped[int]
    congress_id: Mapped[int] = mapped_column(
        ForeignKey("congresses.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(Text)
