"""A congress's export, from its organisers' pages: /<lang>/manage/congresses/<slug>/export.

The confirmation page's POST sends the job (:mod:`congress.backup.jobs`) and leads to the
export's address, which answers the page that follows the job (202) until the file exists,
and then the file itself, to the congress's organisers only.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.exceptions import NotFound, ServiceUnavailable

from congress.audit.labels import describe
from congress.backup import jobs
from congress.confirm import Confirmation, ConfirmForm, confirmation_page
from congress.congresses.models import Congress
from congress.i18n.content import localized_text
from congress.jobs.progress import KEY, preparing_page, status_response
from congress.security.access import access

bp = Blueprint("backup", __name__)

describe(
    actions={"congress.export": _l("Congress exported")},
    fields={"export": _l("Export")},
)


def _private(response: Response) -> Response:
    """An export holds every participant's details: no shared cache may keep it."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<lang>/manage/congresses/<slug>/export", methods=["GET", "POST"])
@access("organiser")
def start(congress: Congress):
    if request.method == "GET":
        return confirmation_page(
            Confirmation(
                title=_("Export this congress?"),
                caption=localized_text(congress, "name"),
                happens=[
                    _(
                        "Its delegations, participants, programme, documents and audit log "
                        "are written into one file, as they are at this moment, which you "
                        "can then download."
                    ),
                    _("The accounts it names are in it without their passwords."),
                    _("The export is recorded in the audit log."),
                ],
                undo=_("Nothing is changed: you can export again at any time."),
                button=_("Start the export"),
                back=url_for("admin.manage", slug=congress.slug),
                danger=False,
            )
        )
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        key = jobs.start_export(congress)
    except Exception as error:
        # The broker is down: said, and the organiser tries again.
        current_app.logger.error("%s: the export could not be queued: %s", congress.slug, error)
        return _private(_failed_page())
    return redirect(url_for("backup.download", slug=congress.slug, key=key))


def _failed_page() -> Response:
    page = render_template(
        "errors/error.html",
        error=ServiceUnavailable(),
        message=_("The export could not be written. Start it again in a moment."),
    )
    return Response(page, status=503)


def _gone_page(congress: Congress) -> Response:
    page = render_template(
        "errors/error.html",
        error=NotFound(),
        message=ngettext(
            "This export is no longer kept: an export holds personal data and is deleted "
            "%(num)d hour after it is written. Start a new one from the congress's page.",
            "This export is no longer kept: an export holds personal data and is deleted "
            "%(num)d hours after it is written. Start a new one from the congress's page.",
            int(current_app.config["EXPORTS_KEEP_HOURS"]),
        ),
        # Where a new one starts: the organiser came for an export.
        next_step={
            "url": url_for("backup.start", slug=congress.slug),
            "text": _("Export this congress"),
        },
    )
    return Response(page, status=404)


@bp.get("/<lang>/manage/congresses/<slug>/exports/<key>.json")
@access("organiser")
def download(congress: Congress, key: str):
    if not KEY.fullmatch(key):
        abort(404)
    export = jobs.tracked(congress.id, key)
    if export.result_path.exists():
        return _private(
            send_file(
                export.result_path,
                mimetype="application/json",
                as_attachment=True,
                download_name=jobs.filename(congress, key),
                conditional=True,
            )
        )
    state = export.progress()
    if state.state == "missing":
        # Never written, or deleted by the sweep (backup.jobs.sweep_exports).
        return _private(_gone_page(congress))
    if state.state == "failed":
        return _private(_failed_page())
    return _private(
        preparing_page(
            state,
            title=_("The export is being written"),
            text=_(
                "%(filename)s is being written. It takes a moment for a large congress; "
                "nothing is lost if you leave this page.",
                filename=jobs.filename(congress, key),
            ),
            status_url=url_for("backup.status", slug=congress.slug, key=key),
            result_url=url_for("backup.download", slug=congress.slug, key=key),
            refresh=_("Refresh: the export downloads if it is ready"),
            words={
                "queued": _("Waiting for its turn"),
                "running": _("Being written"),
                "ready": _("Ready: downloading it"),
                "failed": _("The export could not be written. Start it again in a moment."),
                "missing": _("Waiting for its turn"),
            },
            name="export",
        )
    )


@bp.get("/<lang>/manage/congresses/<slug>/exports/<key>/status")
@access("organiser")
def status(congress: Congress, key: str):
    if not KEY.fullmatch(key):
        abort(404)
    return _private(
        status_response(
            jobs.tracked(congress.id, key).progress(),
            url_for("backup.download", slug=congress.slug, key=key),
        )
    )
