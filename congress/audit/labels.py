"""What the audit log's actions, records, fields and values are called, in the reader's words.

The audit log stores keys (``delegation.accredit``, ``status: "submitted"``) so that it
reads the same in every language and can be filtered. The areas that record entries sit
above this one, so each describes its own keys here when its labels module is imported
(:func:`describe`); the page words every entry through :func:`word_action`,
:func:`word_field` and :func:`word_value` and never shows a key, nor ``null``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

ACTIONS: dict[str, Any] = {}
RECORDS: dict[str, Any] = {}
FIELDS: dict[str, Any] = {}
# (record, field) → stored value → word; a record of None words that field in every record.
VALUES: dict[tuple[str | None, str], dict[Any, Any]] = {}
# Fields whose values are words of their own, worded by a function (a session's people).
FORMATTERS: dict[str, Callable[[Any], str]] = {}
# Fields holding an ISO 8601 instant: shown as a date and time in the congress's zone.
INSTANTS: set[str] = set()
# Fields that repeat what another field shows in words (a room's id beside its name).
HIDDEN: set[str] = set()


def describe(
    *,
    actions: Mapping[str, Any] = {},
    records: Mapping[str, Any] = {},
    fields: Mapping[str, Any] = {},
    values: Mapping[str, Mapping[Any, Any]] = {},
    formatters: Mapping[str, Callable[[Any], str]] = {},
    instants: Iterable[str] = (),
    hidden: Iterable[str] = (),
    record: str | None = None,
) -> None:
    """Add an area's words for the keys its audit entries use.

    ``record`` (a model's class name) scopes ``values`` to that record's entries, where
    two areas store the same key for different things (a "submitted" delegation, a
    "submitted" follow-up record).
    """
    ACTIONS.update(actions)
    RECORDS.update(records)
    FIELDS.update(fields)
    for field, words in values.items():
        VALUES.setdefault((record, field), {}).update(words)
    FORMATTERS.update(formatters)
    INSTANTS.update(instants)
    HIDDEN.update(hidden)


# Keys the audit log itself writes: a record's fields that every area shares.
describe(
    fields={
        "status": _l("Status"),
        "reason": _l("Reason"),
        "name": _l("Name"),
        "title": _l("Title"),
        "description": _l("Description"),
        "email": _l("Email"),
        "position": _l("Position"),
        "number": _l("Number"),
        "at": _l("At"),
        "user": _l("Account"),
        "congress": _l("Congress"),
    },
    instants=("at",),
)


def word_action(action: str) -> str:
    label = ACTIONS.get(action)
    return str(label if label is not None else _l("Other action"))


def word_record(object_type: str) -> str:
    label = RECORDS.get(object_type)
    return str(label if label is not None else _l("Other record"))


def _language_name(code: str) -> str:
    return Locale.parse(str(get_locale())).languages.get(code, code)


def language_names(codes: Any) -> str:
    """Language codes as the reader's names of the languages (a formatter for areas)."""
    if isinstance(codes, str):
        codes = [codes]
    return ", ".join(_language_name(code) for code in codes) or str(_l("none"))


def _word_part(part: str) -> str:
    """A part of a field's path after the first: a field, a key's label or a language."""
    if part in FIELDS:
        return str(FIELDS[part])
    for words in VALUES.values():
        if part in words:
            return str(words[part])
    return _language_name(part)


def word_field(path: str) -> str:
    """``title.fr`` → "Title (French)"; ``categories.ngo.open`` → "Categories (NGO, open)"."""
    field, *rest = path.split(".")
    label = str(FIELDS.get(field, _l("Other detail")))
    if rest:
        return f"{label} ({', '.join(_word_part(part) for part in rest)})"
    return label


def word_value(
    path: str, value: Any, moment: Callable[[datetime], str], record: str | None = None
) -> str:
    """A stored value as a word: labels for keys, yes and no, dates in the congress's zone."""
    field = path.partition(".")[0]
    if value is None:
        return str(_l("not set"))
    if field in FORMATTERS:
        return FORMATTERS[field](value)
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if isinstance(value, list | tuple):
        words = [word_value(path, item, moment, record) for item in value]
        return ", ".join(words) or str(_l("none"))
    if isinstance(value, dict):
        return str(_l("none")) if not value else "; ".join(f"{k}: {v}" for k, v in value.items())
    for scope in (record, None):
        words = VALUES.get((scope, field), {})
        if value in words:
            return str(words[value])
    if field in INSTANTS and isinstance(value, str):
        try:
            return moment(datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def is_shown(path: str) -> bool:
    return path.partition(".")[0] not in HIDDEN
