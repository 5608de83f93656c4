"""Languages: the ``/<lang>/`` URL prefix, Babel's locale, and texts kept per language."""

from __future__ import annotations

from flask import Flask, abort, g, has_app_context, has_request_context, request, url_for

from congress.db import LANGUAGES
from congress.extensions import babel
from congress.i18n import content, formatting
from congress.paths import project_folder

# Each language in its own name, for the language switcher and language fields.
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "pt": "Português",
    "ar": "العربية",
    "zh": "中文",
    "ru": "Русский",
}
# Languages written right to left: their pages carry dir="rtl" and the mirrored layout.
RTL_LANGUAGES = frozenset({"ar"})


def best_language() -> str:
    """The visitor's language from Accept-Language, English when none of ours fits."""
    return request.accept_languages.best_match(LANGUAGES) or "en"


# Babel's locale for each language of the site. English follows international
# (UN) usage: day before month and a 24-hour clock. Arabic is CLDR's "ar", Modern
# Standard Arabic for the world (ar_001), which writes the digits 0-9 as UN
# documents in Arabic do, rather than the Arabic-Indic digits of some regions;
# Chinese is simplified Chinese, as the UN writes it.
FORMAT_LOCALES = {
    "en": "en_GB",
    "fr": "fr",
    "es": "es",
    "pt": "pt",
    "ar": "ar",
    "zh": "zh_Hans",
    "ru": "ru",
}


def format_locale() -> str:
    return FORMAT_LOCALES[current_language()]


def direction_of(text: str) -> str:
    """ "rtl" when the first letter of ``text`` is of a right-to-left script, else "ltr".

    For a name typed by a user, whose language we do not know: ``<bdi dir>`` sets it apart in
    its own direction (the PDF renderer has no ``dir="auto"``).
    """
    import unicodedata

    for character in text or "":
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def text_direction(lang: str | None = None) -> str:
    """ "rtl" for a language written right to left, else "ltr" (the page's language by default)."""
    return "rtl" if (lang or current_language()) in RTL_LANGUAGES else "ltr"


def current_language() -> str:
    """The language of this request.

    In order: the language set for the request (the URL prefix, or a mail being
    rendered in its recipient's language); the first segment of the path, so
    that "/fr/no-such-page" answers in French; ``?lang=`` (API, calendar feeds);
    Accept-Language. English outside a request.
    """
    if not has_app_context():
        return "en"
    lang = g.get("lang")
    if lang:
        return lang
    if not has_request_context():
        return "en"
    prefix = request.path.strip("/").split("/", 1)[0]
    if prefix in LANGUAGES:
        return prefix
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    return best_language()


def url_for_language(lang: str, **extra: object) -> str | None:
    """This page's address in another language, query string kept; None off a language page."""
    rule = request.url_rule
    if rule is None or "lang" not in rule.arguments or request.endpoint is None:
        return None
    values = {**request.args.to_dict(flat=False), **(request.view_args or {}), **extra}
    values["lang"] = lang
    return url_for(request.endpoint, **values)


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=format_locale,
        default_translation_directories=str(project_folder("translations")),
    )
    # Flask-WTF then gives WTForms' own messages ("This field is required.") in
    # the request's locale, from the catalogues WTForms ships.
    app.config.setdefault("WTF_I18N_ENABLED", True)

    @app.url_value_preprocessor
    def pull_language(endpoint: str | None, values: dict | None) -> None:
        # A test's app context outlives its requests and shares ``g`` between
        # them: forget the last request's language and Flask-Babel's locale.
        g.pop("lang", None)
        g.pop("_flask_babel", None)
        if values and "lang" in values:
            lang = values.pop("lang")
            if lang not in LANGUAGES:
                abort(404)
            g.lang = lang

    @app.url_defaults
    def add_language(endpoint: str, values: dict) -> None:
        if "lang" not in values and app.url_map.is_endpoint_expecting(endpoint, "lang"):
            values["lang"] = current_language()

    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        current_language=current_language,
        text_direction=text_direction,
        tr=content.localized_markup,
        url_for_language=url_for_language,
    )
    app.jinja_env.filters["direction"] = direction_of
    formatting.register(app)
