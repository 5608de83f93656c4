"""Texts that readers see, stored per language, and the fallback when one is missing."""

from __future__ import annotations

from typing import NamedTuple

from markupsafe import Markup, escape


class Localized(NamedTuple):
    text: str
    language: str  # the language the text is actually in


def localize(texts: dict | None, original_language: str, lang: str) -> Localized:
    """The text in ``lang``, else in the original language, else in any language we have."""
    texts = texts or {}
    for candidate in (lang, original_language, "en", *texts):
        if texts.get(candidate):
            return Localized(texts[candidate], candidate)
    return Localized("", lang)


def localized_text(obj: object, field: str, lang: str | None = None) -> str:
    """The plain text of ``obj.<field>`` for ``lang`` (the request's language by default)."""
    from congress.i18n import current_language

    return localize(
        getattr(obj, field), getattr(obj, "original_language", "en"), lang or current_language()
    ).text


def localized_markup(obj: object, field: str) -> Markup:
    """The text for the page's language, wrapped in ``<span lang>`` when it fell back.

    A text that falls back to a language written the other way (English on an Arabic page,
    an Arabic original on an English one) carries its own ``dir`` too.
    """
    from congress.i18n import current_language, text_direction

    lang = current_language()
    found = localize(getattr(obj, field), getattr(obj, "original_language", "en"), lang)
    if found.language == lang:
        return escape(found.text)
    direction = text_direction(found.language)
    if direction != text_direction(lang):
        return Markup('<span lang="{}" dir="{}">{}</span>').format(
            found.language, direction, found.text
        )
    return Markup('<span lang="{}">{}</span>').format(found.language, found.text)
