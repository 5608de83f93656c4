"""The letter of invitation as PDF: drawn by WeasyPrint, in the member's language, on the
congress's letterhead, with its reference and a QR code leading to its verification page.

A letter is one page drawn on request and never kept on disk: it holds passport details,
which must go when they are erased, and it takes a fraction of a second to draw.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import segno
from babel.dates import format_date
from flask import Response, current_app, g, render_template, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.exceptions import ServiceUnavailable

from congress.i18n import FORMAT_LOCALES
from congress.i18n.content import localized_text
from congress.i18n.countries import country_name_in_text
from congress.i18n.formatting import date_range
from congress.invitations.models import InvitationLetter
from congress.participants.pdf import PdfUnavailable, render_pdf
from congress.registration.labels import ROLES, TITLES
from congress.registration.rules import delegation_name


@contextmanager
def in_language(lang: str) -> Iterator[None]:
    """Texts, dates and the language ``url_for`` writes into links all in ``lang``, whatever
    the language of the page that asks (as :func:`congress.mail.send_mail` renders a mail)."""
    had, previous = "lang" in g, g.get("lang")
    g.lang = lang
    try:
        with force_locale(FORMAT_LOCALES.get(lang, "en_GB")):
            yield
    finally:
        if had:
            g.lang = previous
        else:
            g.pop("lang", None)


def verification_url(letter: InvitationLetter, lang: str) -> str:
    return url_for("invitations.verified", token=letter.reference, lang=lang, _external=True)


def qr_code(url: str) -> Markup:
    """The address as an inline SVG QR code; level M survives a creased or stamped copy."""
    svg = segno.make(url, error="m").svg_inline(scale=3, border=2, dark="#000")
    return Markup(svg)


def letter_html(letter: InvitationLetter) -> str:
    """The letter's HTML in its member's language."""
    delegate = letter.delegate
    delegation = delegate.delegation
    congress = letter.congress
    lang = delegate.preferred_language
    with in_language(lang):
        locale = get_locale()
        url = verification_url(letter, lang)
        title = TITLES[delegate.title]
        return render_template(
            "invitations/letter.html",
            letter=letter,
            congress_name=localized_text(congress, "name", lang),
            city=localized_text(congress, "city", lang),
            country=country_name_in_text(congress.country_code, lang, congress.start_date),
            dates=date_range(congress.start_date, congress.end_date),
            venue=congress.venue,
            issued_on=format_date(letter.issued_at.date(), "long", locale=locale),
            born_on=format_date(letter.date_of_birth, "long", locale=locale),
            name=f"{title} {delegate.full_name}" if str(title) else delegate.full_name,
            role=ROLES[delegate.role],
            delegation=delegation_name(delegation, lang),
            nationality=country_name_in_text(letter.nationality, lang, congress.start_date),
            verification_url=url,
            qr=qr_code(url),
        )


def letter_response(letter: InvitationLetter) -> Response:
    """The PDF, for its focal point or an organiser: kept by no cache on the way."""
    static_url = url_for("static", filename="")
    try:
        pdf = render_pdf(letter_html(letter), current_app.static_folder or "", static_url)
    except PdfUnavailable as error:
        current_app.logger.error("invitation letters cannot be drawn: %s", error)
        page = render_template(
            "errors/error.html",
            error=ServiceUnavailable(),
            message=_("The letter cannot be drawn on this server at the moment. Try again later."),
        )
        return Response(page, status=503)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="invitation-{letter.reference}.pdf"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
