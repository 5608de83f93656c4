"""Loading a congress from the address that names it."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm.interfaces import LoaderOption

from congress.congresses.models import Congress
from congress.extensions import db


def congress_by_slug(slug: str, *options: LoaderOption) -> Congress | None:
    return db.session.scalar(select(Congress).where(Congress.slug == slug).options(*options))


def congress_or_404(slug: str, *options: LoaderOption) -> Congress:
    """The congress named by ``slug``, with whatever rows ``options`` load alongside it.

    Each area passes the loader options of what its page shows (the archive its
    figures, the programme its sessions), so that one function serves them all.
    """
    congress = congress_by_slug(slug, *options)
    if congress is None:
        abort(404)
    return congress
