"""Badges as PDF, drawn by WeasyPrint: one member's card, or sheets of a delegation or of the
whole congress, on A4 with crop marks or one CR80 card (85.6 × 54 mm) a page.

Each card is written in its member's language. The photograph is put into the HTML as a
``data:`` address, since the PDF fetches nothing but our static files and photographs are
never there. Sheets are drawn by the participants' PDF job (:mod:`congress.participants.pdf`)
and kept under ``instance/cache/badges/``, which erasure empties with the photographs.
"""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import segno
from flask import current_app, render_template
from markupsafe import Markup

from congress.badges.models import Badge
from congress.badges.queries import photo_path
from congress.badges.rules import badge_token
from congress.invitations.letter import in_language
from congress.participants.rules import family_name_caps
from congress.registration.labels import CATEGORIES, ROLES, TITLES
from congress.registration.models import Category, Delegate
from congress.registration.rules import delegation_name

CACHE = "badges"
# Colours told apart by people with the common colour blindnesses; the word is always printed.
COLOURS = {
    Category.STATE: "#1d70b8",
    Category.UN_BODY: "#00703c",
    Category.IGO: "#4c2c92",
    Category.NGO: "#f47738",
    Category.PRIVATE_SECTOR: "#505a5f",
    Category.CHILDREN_AND_YOUNG_PEOPLE: "#d4351c",
    Category.MEDIA: "#0b0c0c",
}


def qr_svg(token: str) -> Markup:
    # Level Q: a badge worn on a lanyard gets scratched and bent.
    return Markup(segno.make(token, error="q").svg_inline(scale=4, border=2, dark="#000"))


def _photo_uri(delegate: Delegate) -> str | None:
    photo = getattr(delegate, "photo", None)
    if photo is None:
        return None
    try:
        data = photo_path(photo).read_bytes()
    except FileNotFoundError:
        return None
    return "data:image/jpeg;base64," + base64.b64encode(data).decode()


def printed_name(delegate: Delegate) -> str:
    """As the list of participants prints it: title, given names, family name in capitals."""
    title = str(TITLES[delegate.title])
    name = f"{delegate.given_names} {family_name_caps(delegate.family_name)}"
    return f"{title} {name}" if title else name


def card_html(badge: Badge) -> Markup:
    """One card, in its member's language."""
    delegate = badge.delegate
    delegation = delegate.delegation
    lang = delegate.preferred_language
    token = badge_token(badge)
    with in_language(lang):
        return Markup(
            render_template(
                "badges/_card.html",
                lang=lang,
                name=printed_name(delegate),
                delegation=delegation_name(delegation, lang),
                category=str(CATEGORIES[delegation.category]),
                colour=COLOURS[delegation.category],
                role=str(ROLES[delegate.role]),
                photo=_photo_uri(delegate),
                qr=qr_svg(token),
                # Printed too, for a door whose phone has no camera.
                code=token,
                serial=badge.serial,
            )
        )


def sheet_html(badges: list[Badge], layout: str, title: str) -> str:
    return render_template(
        "badges/sheet.html", cards=[card_html(b) for b in badges], layout=layout, title=title
    )


def cache_folder() -> Path:
    return Path(current_app.instance_path) / "cache" / CACHE


def forget_drawn() -> None:
    """Remove every drawn badge: they hold photographs."""
    shutil.rmtree(cache_folder(), ignore_errors=True)
