"""``/<lang>/countries/<code>``: a government's record across the congresses."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for

from congress.countries.queries import country_record
from congress.i18n.countries import is_country
from congress.security import access

bp = Blueprint("countries", __name__)


@bp.get("/<lang>/countries/<code>")
@access("public")
def country(code: str):
    if not is_country(code.upper()):
        abort(404)
    if code != code.upper():
        # One address per country: the code as ISO 3166 writes it.
        return redirect(url_for(".country", code=code.upper()), 301)
    return render_template("countries/country.html", record=country_record(code))
