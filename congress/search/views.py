"""``/<lang>/search?q=``; a congress's index rebuilt by a job from its organisers' pages
(``/<lang>/manage/congresses/<slug>/search-index``); and ``flask search rebuild``."""

from __future__ import annotations

import click
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import ServiceUnavailable

from congress.audit.labels import describe
from congress.confirm import Confirmation, ConfirmForm, confirmation_page
from congress.congresses.models import Congress
from congress.extensions import db
from congress.i18n import current_language
from congress.i18n.content import localized_text
from congress.jobs.progress import KEY, preparing_page, status_response
from congress.search import index, rebuilds
from congress.search.queries import MIN_LENGTH, search
from congress.security import access

bp = Blueprint("search", __name__, cli_group="search")
# The index follows every flush once the app has this blueprint.
bp.record_once(lambda _state: index.listen())

describe(
    actions={"search.rebuild": _l("Search index rebuilt")},
    fields={"rebuild": _l("Rebuild")},
)


@bp.get("/<lang>/search")
@access("public")
def results():
    query = request.args.get("q", "")
    return render_template(
        "search/results.html",
        results=search(query, current_language()),
        min_length=MIN_LENGTH,
    )


@bp.route("/<lang>/manage/congresses/<slug>/search-index", methods=["GET", "POST"])
@access("organiser")
def start_rebuild(congress: Congress):
    if request.method == "GET":
        return confirmation_page(
            Confirmation(
                title=_("Rebuild the search index of this congress?"),
                caption=localized_text(congress, "name"),
                happens=[
                    _(
                        "The search index of its sessions, documents and delegations is "
                        "recomputed from them, in every language, and corrected where it differs."
                    ),
                    _("The rebuild is recorded in the audit log."),
                ],
                undo=_("Nothing but the index is changed: the search finds the same rows."),
                button=_("Rebuild the search index"),
                back=url_for("admin.manage", slug=congress.slug),
                danger=False,
            )
        )
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        key = rebuilds.start_rebuild(congress)
    except Exception as error:
        # The broker is down: said, and the organiser tries again.
        current_app.logger.error("%s: the rebuild could not be queued: %s", congress.slug, error)
        return _failed_page()
    return redirect(url_for("search.rebuild_progress", slug=congress.slug, key=key))


def _failed_page() -> Response:
    page = render_template(
        "errors/error.html",
        error=ServiceUnavailable(),
        message=_("The search index could not be rebuilt. Start it again in a moment."),
    )
    return Response(page, status=503)


@bp.get("/<lang>/manage/congresses/<slug>/search-index/<key>")
@access("organiser")
def rebuild_progress(congress: Congress, key: str):
    if not KEY.fullmatch(key):
        abort(404)
    run = rebuilds.tracked(congress.id, key)
    state = run.progress()
    if state.state == "ready":
        return render_template(
            "search/rebuilt.html",
            congress=congress,
            written=rebuilds.written(congress.id, key),
        )
    if state.state == "missing":
        abort(404)
    if state.state == "failed":
        return _failed_page()
    here = url_for("search.rebuild_progress", slug=congress.slug, key=key)
    return preparing_page(
        state,
        title=_("The search index is being rebuilt"),
        text=_(
            "The index of %(congress)s is being recomputed. It takes a moment for a large "
            "congress; nothing is lost if you leave this page.",
            congress=localized_text(congress, "name"),
        ),
        status_url=url_for("search.rebuild_status", slug=congress.slug, key=key),
        result_url=here,
        refresh=_("Refresh: this page says when it is done"),
        words={
            "queued": _("Waiting for its turn"),
            "running": _("Being rebuilt"),
            "ready": _("Done"),
            "failed": _("The search index could not be rebuilt. Start it again in a moment."),
            "missing": _("Waiting for its turn"),
        },
        name="rebuild",
    )


@bp.get("/<lang>/manage/congresses/<slug>/search-index/<key>/status")
@access("organiser")
def rebuild_status(congress: Congress, key: str):
    if not KEY.fullmatch(key):
        abort(404)
    return status_response(
        rebuilds.tracked(congress.id, key).progress(),
        url_for("search.rebuild_progress", slug=congress.slug, key=key),
    )


@bp.cli.command("rebuild")
def rebuild() -> None:
    """Recompute the search index from the database."""
    written = index.rebuild(db.session)
    db.session.commit()
    click.echo(f"Search index rebuilt: {written} rows written or removed.")
