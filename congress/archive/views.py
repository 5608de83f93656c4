"""Public pages of the archive: the editions and one edition."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from congress.archive.chart import figures_chart
from congress.archive.models import PartnerRole, partners_in_role
from congress.archive.queries import congresses_newest_first, edition_page_options
from congress.archive.rules import figures_by_measure
from congress.congresses.queries import congress_or_404
from congress.congresses.rules import is_organiser
from congress.i18n import best_language, current_language
from congress.participants.rules import participation
from congress.registration.rules import registration_window
from congress.security import access

bp = Blueprint("archive", __name__)


@bp.get("/")
@access("public")
def root():
    return redirect(url_for("archive.home", lang=best_language()))


@bp.get("/<lang>/")
@access("public")
def home():
    return render_template(
        "archive/home.html",
        congresses=congresses_newest_first(),
        figures_by_measure=figures_by_measure,
    )


@bp.get("/<lang>/congresses/")
@access("public")
def index():
    congresses = congresses_newest_first()
    return render_template(
        "archive/index.html",
        congresses=congresses,
        figures_by_measure=figures_by_measure,
        chart=figures_chart(congresses),
    )


@bp.get("/<lang>/congresses/<slug>/")
@access("public")
def congress(slug: str):
    congress = congress_or_404(slug, *edition_page_options())
    return render_template(
        "archive/congress.html",
        congress=congress,
        figures=figures_by_measure(congress.figures),
        participation=participation(congress, current_language()),
        registration=registration_window(congress),
        may_organise=is_organiser(current_user, congress),
        hosts=partners_in_role(congress, PartnerRole.HOST),
        co_organisers=partners_in_role(congress, PartnerRole.CO_ORGANISER),
    )
