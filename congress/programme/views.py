"""Programme pages: the timetable, sessions, and personal agendas."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from congress.extensions import db
from congress.registration.models import Delegate

bp = Blueprint("programme", __name__)


@bp.get("/<lang>/agenda/<token>")
def delegate_agenda(token: str):
    """The personal page a delegate reaches from the link mailed at accreditation."""
    delegate = db.session.scalar(select(Delegate).where(Delegate.token == token))
    if delegate is None or delegate.withdrawn:
        abort(404)
    return render_template("programme/delegate_agenda.html", delegate=delegate)
