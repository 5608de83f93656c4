"""Column types shared by every area: UTC datetimes and texts kept per language; versions."""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, Enum
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.mutable import MutableDict
from sqlalchemy.types import TypeDecorator

# The six languages of the United Nations and Portuguese, the language of the Rio host.
LANGUAGES = ("en", "fr", "es", "pt", "ar", "zh", "ru")


class UTCDateTime(TypeDecorator[datetime]):
    """A datetime that is always stored and returned as an aware UTC instant.

    SQLite has no time zone type and silently drops offsets, so naive values are
    refused on the way in and every value comes back with ``tzinfo=UTC``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: give it a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_version() -> str:
    """A random name for one state of some rows (the programme's, an agenda's).

    Random rather than counted: a congress deleted and built again may get its
    id back, and nothing of the old one may match the new.
    """
    return secrets.token_hex(16)


class TranslatedText(TypeDecorator[dict]):
    """A text that readers see, kept as ``{"en": ..., "fr": ..., ...}``.

    Only the languages of the app are accepted as keys; empty strings are
    dropped so that a missing translation is always an absent key.
    """

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: dict | None, dialect: Dialect) -> dict | None:
        if value is None:
            return None
        unknown = set(value) - set(LANGUAGES)
        if unknown:
            raise ValueError(f"unknown languages {sorted(unknown)} in translated text")
        return {lang: value[lang] for lang in LANGUAGES if value.get(lang)}


def translated_column_type():
    """The column type for a translated text, mutable in place like a dict."""
    return MutableDict.as_mutable(TranslatedText())


def render_migration_type(type_: str, obj: object, autogen_context) -> str | bool:
    """Write our column types into migrations as the plain types they store.

    Migrations then never import application code that may change later.
    """
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, TranslatedText):
        return "sa.JSON()"
    return False


def enum_column(enum_class: type[enum.Enum], name: str | None = None) -> Enum:
    """A portable enum column storing the member's value as a checked string.

    ``native_enum=False`` keeps PostgreSQL and SQLite on the same schema and lets
    a migration add a member without ``ALTER TYPE``. ``name`` names the check
    constraint; a table with two columns of one enum needs one per column.
    """
    return Enum(
        enum_class,
        name=name or enum_class.__name__.lower(),
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_class),
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
