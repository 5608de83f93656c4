"""What readers see for the programme's kinds, statuses and changes, in their language."""

from __future__ import annotations

from datetime import datetime

from babel import Locale
from flask import Flask
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from congress.audit.labels import describe, language_names
from congress.i18n.content import localize
from congress.programme.models import ChangeKind, SessionKind, SessionRole, SessionStatus

SESSION_KINDS = {
    SessionKind.OPENING_CEREMONY: _l("Opening ceremony"),
    SessionKind.PLENARY: _l("Plenary"),
    SessionKind.THEMATIC_PANEL: _l("Thematic panel"),
    SessionKind.WORKSHOP: _l("Workshop"),
    SessionKind.HIGH_LEVEL_DIALOGUE: _l("High-level dialogue"),
    SessionKind.SIDE_EVENT: _l("Side event"),
    SessionKind.CLOSING: _l("Closing"),
}

SESSION_STATUSES = {
    SessionStatus.CONFIRMED: _l("confirmed"),
    SessionStatus.TENTATIVE: _l("tentative"),
    SessionStatus.CANCELLED: _l("cancelled"),
}

ROLES = {SessionRole.CHAIR: _l("Chair"), SessionRole.SPEAKER: _l("Speaker")}

CHANGE_KINDS = {
    ChangeKind.ADDED: _l("added"),
    ChangeKind.MOVED: _l("moved"),
    ChangeKind.RENAMED: _l("renamed"),
    ChangeKind.CANCELLED: _l("cancelled"),
    ChangeKind.OTHER: _l("changed"),
}


def _people(people: list) -> str:
    """A session's chairs and speakers as the audit log stores them: [role, delegate, name]."""
    return "; ".join(
        f"{ROLES[SessionRole(role)]}: {name or '#' + str(delegate)}"
        for role, delegate, name in people
    ) or str(_l("none"))


describe(
    actions={
        "programme.publish": _l("Programme published"),
        "programme.room.create": _l("Room added"),
        "programme.room.update": _l("Room changed"),
        "programme.theme.create": _l("Theme added"),
        "programme.theme.update": _l("Theme changed"),
        "programme.session.create": _l("Session added"),
        "programme.session.update": _l("Session changed"),
        "programme.session.cancel": _l("Session cancelled"),
        "programme.session.reinstate": _l("Session reinstated"),
    },
    records={
        "Session": _l("Session"),
        "Room": _l("Room"),
        "Theme": _l("Theme"),
        "Publication": _l("Publication"),
    },
    fields={
        "kind": _l("Kind"),
        "room": _l("Room"),
        "starts_at": _l("Starts"),
        "ends_at": _l("Ends"),
        "working_languages": _l("Working languages"),
        "expected_attendance": _l("Expected attendance"),
        "illustrative": _l("Time not verified"),
        "end_illustrative": _l("End time not verified"),
        "people": _l("Chairs and speakers"),
        "capacity": _l("Seats"),
    },
    values={
        "kind": {k.value: label for k, label in SESSION_KINDS.items()},
        "status": {s.value: label for s, label in SESSION_STATUSES.items()},
    },
    formatters={"people": _people, "working_languages": language_names},
    instants=("starts_at", "ends_at"),
    hidden=("room_id", "theme_id"),
)

# Languages a session may be interpreted into: the four of the site, the other
# official UN languages, and the host languages of the three editions.
WORKING_LANGUAGES = ("en", "fr", "es", "pt", "ar", "ru", "zh", "ja", "sv")


def language_name(code: str, lang: str) -> str:
    """ "Portuguese", "portugais": a language's name in the page's language."""
    return Locale.parse(lang).languages.get(code, code)


def text_in_language(texts: dict | None) -> Markup:
    """A text kept per language (as in change records), marked with ``lang`` when it fell back."""
    from congress.i18n import current_language

    lang = current_language()
    found = localize(texts, "en", lang)
    if found.language == lang:
        return escape(found.text)
    return Markup('<span lang="{}">{}</span>').format(found.language, found.text)


def register(app: Flask) -> None:
    from congress.i18n import current_language

    app.jinja_env.filters.update(
        from_iso=datetime.fromisoformat,
        text_in_language=text_in_language,
        session_kind=lambda kind: SESSION_KINDS[kind],
        session_status=lambda status: SESSION_STATUSES[status],
        change_kind=lambda kind: CHANGE_KINDS[kind],
        language_name=lambda code: language_name(code, current_language()),
    )
