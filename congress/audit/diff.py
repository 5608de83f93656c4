"""A readable difference between the ``before`` and ``after`` of an audit entry."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

# A value that a field did not have: created, removed, or not recorded.
ABSENT = object()


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None
    after: str | None

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """``{"title": {"en": "A"}}`` → ``{"title.en": "A"}``, so that one translation that
    changed shows as one line."""
    if not isinstance(value, dict):
        return {prefix: value}
    if not value and prefix:
        return {prefix: value}
    flat: dict[str, Any] = {}
    for key, item in value.items():
        flat.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    return flat


def show(value: Any) -> str | None:
    """A value as a person reads it: text as it is, anything else as JSON."""
    if value is ABSENT:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def changes(before: dict | None, after: dict | None) -> list[Change]:
    """The fields that differ, in the order the entry recorded them."""
    old = _flatten(before or {})
    new = _flatten(after or {})
    fields = list(dict.fromkeys([*old, *new]))
    return [
        Change(field, show(old.get(field, ABSENT)), show(new.get(field, ABSENT)))
        for field in fields
        if old.get(field, ABSENT) != new.get(field, ABSENT)
    ]
