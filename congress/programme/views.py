"""Programme pages for readers: the timetable, one session, the changes, and personal agendas."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.routing import BuildError

from congress.congresses.localtime import offsets_between
from congress.congresses.models import Congress
from congress.congresses.queries import congress_or_404
from congress.congresses.rules import is_organiser
from congress.db import utcnow
from congress.extensions import db
from congress.i18n.content import localized_markup
from congress.i18n.formatting import local_time
from congress.programme import agenda as agendas
from congress.programme import changes as publishing
from congress.programme import labels, operations, queries, versions
from congress.programme import timetable as layout
from congress.programme.models import SessionKind
from congress.programme.rules import overlapping_pairs, programme_is_public
from congress.registration.models import Delegate, Delegation
from congress.security import access
from congress.security.redirects import local_target

bp = Blueprint("programme", __name__)


@bp.record_once
def _register_labels(state) -> None:
    labels.register(state.app)
    state.app.jinja_env.globals.update(programme_is_public=programme_is_public)
    # The programme's version follows every flush once the app has this blueprint.
    versions.listen()


def readable_congress(slug: str) -> tuple[Congress, bool]:
    """The congress whose programme the visitor may read, and whether it is a preview.

    An unpublished programme is a 404 for the public; its organisers see it as a preview.
    """
    congress = congress_or_404(slug)
    if programme_is_public(congress):
        return congress, False
    if is_organiser(current_user, congress):
        return congress, True
    abort(404)


def _filters(themes) -> tuple[int | None, SessionKind | None]:
    """``?theme=<number>&kind=<kind>``; values that match nothing are ignored."""
    theme = request.args.get("theme", type=int)
    if theme not in {t.number for t in themes}:
        theme = None
    try:
        kind = SessionKind(request.args.get("kind", ""))
    except ValueError:
        kind = None
    return theme, kind


def _sign_in_url() -> str | None:
    try:
        return url_for("accounts.sign_in", next=request.full_path)
    except BuildError:
        return None


def _user_agenda_ids(congress: Congress) -> set[int] | None:
    """The sessions the signed-in user marked; None for a visitor who is not signed in."""
    if not current_user.is_authenticated:
        return None
    return queries.marked_session_ids(queries.agenda_of(congress, user_id=current_user.id))


def _memo_local_time():
    """``local_time`` that remembers: a timetable shows few distinct times, many times over."""
    formatted: dict = {}

    def local_time_once(instant, zone):
        key = (instant, zone.key)
        if key not in formatted:
            formatted[key] = local_time(instant, zone)
        return formatted[key]

    return local_time_once


def _cell_words(rooms, themes) -> dict:
    """What every cell of the timetable repeats, worded once per page rather than per session:
    at ten times Rio's size, translating the same few words in thousands of cells was a
    fifth of the page's time."""
    return {
        "kind_words": {kind: str(word) for kind, word in labels.SESSION_KINDS.items()},
        "theme_words": {t.id: _("Theme %(number)d", number=t.number) for t in themes},
        "room_names": {room.id: localized_markup(room, "name") for room in rooms},
    }


def zone_context(congress: Congress) -> dict:
    """What every programme page needs to name the time zone: the zone and its offsets."""
    return {
        "zone": congress.zone,
        "offsets": offsets_between(congress.start_date, congress.end_date, congress.zone),
    }


@bp.get("/<lang>/congresses/<slug>/programme")
@access("public")
def timetable(slug: str):
    congress, preview = readable_congress(slug)
    themes = queries.themes(congress)
    theme, kind = _filters(themes)
    rooms = queries.rooms(congress)
    sessions = queries.timetable_sessions(congress, themes, theme=theme, kind=kind)
    return render_template(
        "programme/timetable.html",
        congress=congress,
        preview=preview,
        days=layout.build(sessions, rooms, congress.zone),
        # In the congress's time: what is on now and next, during its days only.
        on_now=layout.now_and_next(
            sessions, utcnow(), congress.zone, congress.start_date, congress.end_date
        ),
        themes=themes,
        kinds=labels.SESSION_KINDS,
        theme=theme,
        kind=kind,
        marked=_user_agenda_ids(congress),
        sign_in_url=_sign_in_url(),
        local_time=_memo_local_time(),
        # Built once: url_for for each of thousands of sessions is most of a page's time.
        session_path=url_for("programme.session", slug=slug, session_id=0)[:-1],
        **_cell_words(rooms, themes),
        **zone_context(congress),
    )


@bp.get("/<lang>/congresses/<slug>/sessions/<int:session_id>")
@access("public")
def session(slug: str, session_id: int):
    congress, preview = readable_congress(slug)
    item = queries.session_or_404(congress, session_id, with_people=True)
    marked = _user_agenda_ids(congress)
    return render_template(
        "programme/session.html",
        congress=congress,
        preview=preview,
        s=item,
        marked=marked,
        sign_in_url=_sign_in_url(),
        **zone_context(congress),
    )


@bp.get("/<lang>/congresses/<slug>/changes")
@access("public")
def changes(slug: str):
    congress, preview = readable_congress(slug)
    groups: dict[int, list] = {}
    for change in queries.changes(congress):
        groups.setdefault(change.publication_number, []).append(change)
    publications = {p.number: p for p in publishing.publications(congress)}
    return render_template(
        "programme/changes.html",
        congress=congress,
        preview=preview,
        groups=sorted(groups.items(), reverse=True),
        publications=publications,
        **zone_context(congress),
    )


def _apply_mark(agenda, item) -> None:
    outcome = operations.mark_in_agenda(agenda, item, remove=request.form.get("action") == "remove")
    if outcome == "removed":
        flash(_("Removed from your agenda."))
    elif outcome == "cancelled":
        flash(_("This session is cancelled."), "error")
    else:
        flash(_("Added to your agenda."))


@bp.get("/<lang>/congresses/<slug>/agenda")
@access("signed_in")
def my_agenda(slug: str):
    congress, preview = readable_congress(slug)
    sessions = queries.agenda_sessions(queries.agenda_of(congress, user_id=current_user.id))
    return render_template(
        "programme/agenda.html",
        congress=congress,
        preview=preview,
        sessions=sessions,
        overlaps=overlapping_pairs(sessions),
        **zone_context(congress),
    )


@bp.post("/<lang>/congresses/<slug>/agenda/<int:session_id>")
@access("signed_in")
def mark(slug: str, session_id: int):
    """Mark (or with ``action=remove`` unmark) a session in the signed-in user's agenda."""
    congress, _preview = readable_congress(slug)
    item = queries.session_or_404(congress, session_id)
    _apply_mark(agendas.agenda_for(congress, user_id=current_user.id), item)
    return redirect(
        local_target(request.form.get("next"), default=url_for("programme.my_agenda", slug=slug))
    )


def _delegate_or_404(token: str) -> Delegate:
    delegate = db.session.scalar(
        select(Delegate)
        .where(Delegate.token == token)
        .options(joinedload(Delegate.delegation).joinedload(Delegation.congress))
    )
    if delegate is None or delegate.withdrawn:
        abort(404)
    return delegate


@bp.get("/<lang>/agenda/<token>")
@access("token")
def delegate_agenda(token: str):
    """The personal page a delegate reaches from the link mailed at accreditation.

    It lists the sessions the delegate marked, warns about overlaps, and offers
    the whole programme to mark, without an account.
    """
    delegate = _delegate_or_404(token)
    congress = delegate.delegation.congress
    public = programme_is_public(congress)
    agenda = queries.agenda_of(congress, delegate_id=delegate.id)
    sessions = queries.agenda_sessions(agenda) if public else []
    programme = []
    if public:
        programme = layout.by_day(queries.sessions(congress), congress.zone)
    return render_template(
        "programme/delegate_agenda.html",
        delegate=delegate,
        congress=congress,
        public=public,
        token=token,
        sessions=sessions,
        overlaps=overlapping_pairs(sessions),
        marked={s.id for s in sessions},
        days=programme,
        **zone_context(congress),
    )


@bp.post("/<lang>/agenda/<token>/<int:session_id>")
@access("token")
def delegate_mark(token: str, session_id: int):
    """Mark or unmark a session from the delegate's personal link."""
    delegate = _delegate_or_404(token)
    congress = delegate.delegation.congress
    if not programme_is_public(congress):
        abort(404)
    item = queries.session_or_404(congress, session_id)
    _apply_mark(agendas.agenda_for(congress, delegate_id=delegate.id), item)
    return redirect(url_for("programme.delegate_agenda", token=token, _anchor=f"s{item.id}"))
