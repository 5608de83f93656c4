"""The difference between the ``before`` and ``after`` of an audit entry, field by field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class _Absent:
    """A value that a field did not have: created, removed, or not recorded."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any

    @property
    def kind(self) -> str:
        if self.before is ABSENT:
            return "added"
        if self.after is ABSENT:
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


def changes(before: dict | None, after: dict | None) -> list[Change]:
    """The fields that differ, in the order the entry recorded them."""
    old = _flatten(before or {})
    new = _flatten(after or {})
    fields = list(dict.fromkeys([*old, *new]))
    return [
        Change(field, old.get(field, ABSENT), new.get(field, ABSENT))
        for field in fields
        if old.get(field, ABSENT) != new.get(field, ABSENT)
    ]
