"""The list of participants: public at /<lang>/congresses/<slug>/participants(.csv|.pdf),
complete for organisers at /<lang>/manage/congresses/<slug>/participants(.csv|.pdf)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    render_template,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from congress.congresses.models import Congress
from congress.congresses.queries import congress_or_404
from congress.congresses.rules import is_organiser
from congress.i18n import current_language
from congress.participants import terms
from congress.participants.csv_export import participants_csv
from congress.participants.pdf import pdf_response, status_response
from congress.participants.rules import build_list
from congress.security.access import access

bp = Blueprint("participants", __name__)

PDF_LAYOUT = "participants/pdf_base.html"
HTML_LAYOUT = "base.html"


def _private(response: Response) -> Response:
    """The full list holds emails and needs: no shared cache may keep it."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _filename(congress: Congress, full: bool, extension: str) -> str:
    variant = "participants-full" if full else "participants"
    return f"{variant}-{congress.slug}-{current_language()}.{extension}"


def _render(congress: Congress, *, full: bool, layout: str) -> str:
    lang = current_language()
    prefix = "participants.full_" if full else "participants.public_"
    return render_template(
        "participants/list.html",
        layout=layout,
        congress=congress,
        listing=build_list(congress, lang, full=full),
        t=terms.words(lang),
        csv_url=url_for(prefix + "csv", slug=congress.slug),
        pdf_url=url_for(prefix + "pdf", slug=congress.slug),
        full_url=(
            url_for("participants.full_list", slug=congress.slug)
            if not full and is_organiser(current_user, congress)
            else None
        ),
    )


def _csv(congress: Congress, *, full: bool) -> Response:
    chunks = participants_csv(congress, current_language(), full=full)
    return Response(
        stream_with_context(chunks),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{_filename(congress, full, "csv")}"'
        },
    )


def _pdf_name(congress: Congress, full: bool) -> str:
    return f"{congress.slug}-{current_language()}-{'full' if full else 'public'}"


def _pdf(congress: Congress, *, full: bool) -> Response:
    html = _render(congress, full=full, layout=PDF_LAYOUT)
    status = "participants.full_pdf_status" if full else "participants.public_pdf_status"
    return pdf_response(
        "participants",
        _pdf_name(congress, full),
        html,
        _filename(congress, full, "pdf"),
        unavailable=_(
            "This PDF cannot be made on this server at the moment. The list of participants "
            "is on its page, and can be downloaded as a CSV file."
        ),
        status_url=lambda digest: url_for(status, slug=congress.slug, digest=digest),
        congress_id=congress.id,
    )


def _pdf_status(congress: Congress, *, full: bool, digest: str) -> Response:
    prefix = "participants.full_" if full else "participants.public_"
    return status_response(
        "participants",
        _pdf_name(congress, full),
        digest,
        url_for(prefix + "pdf", slug=congress.slug),
    )


@bp.get("/<lang>/congresses/<slug>/participants")
@access("public")
def public_list(slug: str):
    return _render(congress_or_404(slug), full=False, layout=HTML_LAYOUT)


@bp.get("/<lang>/congresses/<slug>/participants.csv")
@access("public")
def public_csv(slug: str):
    return _csv(congress_or_404(slug), full=False)


@bp.get("/<lang>/congresses/<slug>/participants.pdf")
@access("public")
def public_pdf(slug: str):
    return _pdf(congress_or_404(slug), full=False)


@bp.get("/<lang>/congresses/<slug>/participants.pdf/status/<digest>")
@access("public")
def public_pdf_status(slug: str, digest: str):
    return _pdf_status(congress_or_404(slug), full=False, digest=digest)


@bp.get("/<lang>/manage/congresses/<slug>/participants")
@access("organiser")
def full_list(congress: Congress):
    return _private(Response(_render(congress, full=True, layout=HTML_LAYOUT)))


@bp.get("/<lang>/manage/congresses/<slug>/participants.csv")
@access("organiser")
def full_csv(congress: Congress):
    return _private(_csv(congress, full=True))


@bp.get("/<lang>/manage/congresses/<slug>/participants.pdf")
@access("organiser")
def full_pdf(congress: Congress):
    return _private(_pdf(congress, full=True))


@bp.get("/<lang>/manage/congresses/<slug>/participants.pdf/status/<digest>")
@access("organiser")
def full_pdf_status(congress: Congress, digest: str):
    return _private(_pdf_status(congress, full=True, digest=digest))
