"""Pages as their words and structure read, without the design system's attributes.

Tests that look at a page's markup (an ``<h1>``, a table's cells) look through this, so that
the classes GOV.UK Frontend's components need do not make them fail.
"""

from __future__ import annotations

import re

_DESIGN_ATTRIBUTES = re.compile(r'\s(?:class|data-module|draggable)="[^"]*"')


def plain(html: str) -> str:
    """``html`` without class, data-module and draggable attributes."""
    return _DESIGN_ATTRIBUTES.sub("", html)


def field_errors(html: str, field_id: str) -> list[str]:
    """The messages shown beside the field ``field_id`` (GOV.UK's error message), in order."""
    found = re.search(
        rf'<p id="{re.escape(field_id)}-errors" class="govuk-error-message[^"]*">(.*?)</p>',
        html,
        re.S,
    )
    if not found:
        return []
    parts = re.split(r'<span class="govuk-visually-hidden">[^<]*</span>|<br>', found[1])
    return [part.strip() for part in parts if part.strip()]
