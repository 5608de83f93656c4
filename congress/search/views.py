"""``/<lang>/search?q=``, and ``flask search rebuild``."""

from __future__ import annotations

import click
from flask import Blueprint, render_template, request

from congress.extensions import db
from congress.i18n import current_language
from congress.search import index
from congress.search.queries import MIN_LENGTH, search
from congress.security import access

bp = Blueprint("search", __name__, cli_group="search")
# The index follows every flush once the app has this blueprint.
bp.record_once(lambda _state: index.listen())


@bp.get("/<lang>/search")
@access("public")
def results():
    query = request.args.get("q", "")
    return render_template(
        "search/results.html",
        results=search(query, current_language()),
        min_length=MIN_LENGTH,
    )


@bp.cli.command("rebuild")
def rebuild() -> None:
    """Recompute the search index from the database."""
    written = index.rebuild(db.session)
    db.session.commit()
    click.echo(f"Search index rebuilt: {written} rows written or removed.")
