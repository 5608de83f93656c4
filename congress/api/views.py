"""The JSON API, version 1. ``?lang=`` picks the language of the texts."""

from __future__ import annotations

from flask import Blueprint

from congress.api import serialize
from congress.archive.queries import congress_or_404, congresses_newest_first
from congress.i18n import current_language

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/congresses")
def congresses():
    lang = current_language()
    return {"congresses": [serialize.congress(c, lang) for c in congresses_newest_first()]}


@bp.get("/congresses/<slug>")
def congress(slug: str):
    return serialize.congress(congress_or_404(slug), current_language())
