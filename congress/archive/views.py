"""Public pages of the archive: the editions and one edition."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from congress.archive.queries import congress_or_404, congresses_newest_first
from congress.archive.rules import figures_by_measure, key_figures
from congress.i18n import best_language

bp = Blueprint("archive", __name__)


@bp.get("/")
def root():
    return redirect(url_for("archive.home", lang=best_language()))


@bp.get("/<lang>/")
def home():
    return render_template(
        "archive/home.html", congresses=congresses_newest_first(), key_figures=key_figures
    )


@bp.get("/<lang>/congresses/")
def index():
    return render_template(
        "archive/index.html", congresses=congresses_newest_first(), key_figures=key_figures
    )


@bp.get("/<lang>/congresses/<slug>/")
def congress(slug: str):
    congress = congress_or_404(slug, with_programme=True)
    return render_template(
        "archive/congress.html",
        congress=congress,
        figures=figures_by_measure(congress.figures),
    )
