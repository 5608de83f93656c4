"""Calendar feeds: the programme, one session, a personal agenda; and reissuing a feed's address.

The feeds live outside ``/<lang>/`` because a calendar app keeps one address
for good; their language is ``?lang=`` (English by default).
"""

from __future__ import annotations

from functools import partial, wraps

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from congress.calendar import operations, queries, rules
from congress.calendar.http import (
    Validators,
    cached_body,
    calendar_response,
    encoded,
    feed_validators,
    from_poll,
    is_fresh,
    negotiate,
    session_urls,
    uid_domain,
)
from congress.calendar.ical import CalendarInfo, build_calendar
from congress.calendar.queries import ProgrammeFilter
from congress.confirm import Confirmation, ConfirmForm, confirmation_page
from congress.congresses.queries import congress_or_404
from congress.db import LANGUAGES
from congress.i18n import current_language
from congress.programme.queries import agenda_of
from congress.security import access
from congress.security.sessions import cookieless

bp = Blueprint("calendar", __name__)


@bp.app_template_global()
def agenda_feed_url(congress, *, user_id: int | None = None, delegate_id: int | None = None):
    """The address of a personal agenda's feed, in the page's language; None without an agenda."""
    agenda = agenda_of(congress, user_id=user_id, delegate_id=delegate_id)
    if agenda is None:
        return None
    return url_for(
        "calendar.agenda_feed", token=agenda.feed_token, lang=current_language(), _external=True
    )


def in_feed_language(view):
    """Give the feed view ``lang``, from ``?lang=`` (English without one).

    Any other value is answered with a permanent redirect to the feed's own
    address: in the language it names ("FR", "pt-BR"), or in English without
    ``lang`` when it names none of the site's; so each feed has one address.
    """

    @wraps(view)
    def in_language(*args, **kwargs):
        lang = request.args.get("lang", "en")
        if lang not in LANGUAGES:
            nearest = lang.strip().lower().replace("_", "-").partition("-")[0]
            query = {key: request.args.getlist(key) for key in request.args if key != "lang"}
            if nearest in LANGUAGES:
                query["lang"] = nearest
            target = url_for(request.endpoint, **request.view_args, **query)
            return cookieless(redirect(target, code=301))
        # gettext and the links inside the feed follow it.
        g.lang = lang
        return view(*args, lang=lang, **kwargs)

    return in_language


def _info(**values) -> CalendarInfo:
    return CalendarInfo(uid_domain=uid_domain(), **values)


def _public_state(state):
    """The state of a public feed; 404 for an unknown congress or an unpublished programme."""
    if state is None or not rules.feed_is_public(state):
        abort(404)
    return state


def _programme_validators(row, *, lang: str, key: tuple) -> Validators:
    """Validators of a feed of the programme, from a poll's row or the feed's state."""
    return feed_validators(lang, (*key, row.programme_version), row.programme_changed_at)


def _agenda_validators(row, *, lang: str) -> Validators:
    versions = ("agenda", row.programme_version, row.agenda_version)
    changes = [t for t in (row.programme_changed_at, row.agenda_changed_at) if t is not None]
    return feed_validators(lang, versions, max(changes, default=None))


def _download_name(name: str) -> str | None:
    return name if request.args.get("download") == "1" else None


@bp.get("/congresses/<slug>/calendar.ics")
@access("public")
@in_feed_language
def programme_feed(slug: str, lang: str):
    """The whole programme, or the sessions of one theme, kind or room."""
    try:
        selected = ProgrammeFilter.from_args(request.args)
    except ValueError:
        abort(404)
    validators_of = partial(_programme_validators, lang=lang, key=("programme", selected))
    filename = _download_name(f"{slug}.ics")
    answer = from_poll(partial(queries.programme_poll, slug), validators_of, kept="feed")
    if answer is not None:
        return calendar_response(answer.body, answer.validators, private=False, filename=filename)
    state = _public_state(queries.programme_state(slug, selected))
    plain = validators_of(state)
    validators = negotiate(plain)
    if is_fresh(validators):
        return calendar_response(None, validators, private=False)

    # Apps that poll without If-None-Match get the feed built once per change: the
    # ETag names everything the bytes are made of.
    def build() -> bytes:
        info = _info(
            name=rules.programme_feed_name(state, selected, lang),
            lang=lang,
            url=url_for("programme.timetable", slug=slug, **selected.as_args(), _external=True),
            source=url_for(
                "calendar.programme_feed",
                slug=slug,
                lang=lang,
                **selected.as_args(),
                _external=True,
            ),
        )
        return build_calendar(
            state, queries.programme_sessions(state, selected), info, session_urls(slug)
        )

    body = cached_body(f"feed:{plain.etag}", validators, build)
    return calendar_response(body, validators, private=False, filename=filename)


@bp.get("/congresses/<slug>/sessions/<int:session_id>.ics")
@access("public")
@in_feed_language
def session_feed(slug: str, session_id: int, lang: str):
    """One session, to download into a calendar (or subscribe to, to follow its changes)."""
    validators_of = partial(_programme_validators, lang=lang, key=("session", session_id))
    answer = from_poll(partial(queries.programme_poll, slug), validators_of)
    if answer is not None:
        return calendar_response(None, answer.validators, private=False)
    state = _public_state(queries.session_state(slug, session_id))
    validators = negotiate(validators_of(state))
    if is_fresh(validators):
        return calendar_response(None, validators, private=False)
    info = _info(
        name=rules.session_feed_name(state, lang),
        lang=lang,
        url=url_for("programme.session", slug=slug, session_id=session_id, _external=True),
        source=url_for(
            "calendar.session_feed", slug=slug, session_id=session_id, lang=lang, _external=True
        ),
    )
    body = build_calendar(state, queries.one_session(state, session_id), info, session_urls(slug))
    filename = _download_name(f"{slug}-session-{session_id}.ics")
    return calendar_response(
        encoded(body, validators), validators, private=False, filename=filename
    )


@bp.get("/feeds/<token>.ics")
@access("token")
@in_feed_language
def agenda_feed(token: str, lang: str):
    """A personal agenda at its secret address: no sign-in, and only that agenda's sessions."""
    validators_of = partial(_agenda_validators, lang=lang)
    answer = from_poll(partial(queries.agenda_poll, token), validators_of)
    if answer is not None:
        return calendar_response(None, answer.validators, private=True)
    state = queries.agenda_state(token)
    if state is None:
        abort(404)
    validators = negotiate(validators_of(state))
    if is_fresh(validators):
        return calendar_response(None, validators, private=True)
    # No SOURCE: the address is a secret, and a copy of the file may be passed on.
    info = _info(name=rules.agenda_feed_name(state, lang), lang=lang)
    # Before publication an agenda's feed is a valid calendar with nothing in it.
    sessions = queries.agenda_sessions(state) if rules.feed_is_public(state) else []
    body = build_calendar(state, sessions, info, session_urls(state.slug))
    filename = _download_name(f"{state.slug}-agenda.ics")
    return calendar_response(encoded(body, validators), validators, private=True, filename=filename)


def _flash_issued(replaced: bool) -> None:
    if replaced:
        flash(_("Your calendar has a new address. The old one no longer works."), "success")
    else:
        flash(_("Your agenda has its calendar address."), "success")


def _reissue_confirmation(has_feed: bool, back: str):
    """The page before a feed gets a new address: the old one then stops working for good."""
    if not has_feed:
        return confirmation_page(
            Confirmation(
                title=_("Get a calendar address for your agenda?"),
                happens=[_("Your agenda gets a personal address that calendar apps subscribe to.")],
                undo=_("You can give it a new address at any time."),
                button=_("Get a calendar address"),
                back=back,
                danger=False,
            )
        )
    return confirmation_page(
        Confirmation(
            title=_("Give your calendar a new address?"),
            happens=[
                _(
                    "The current address stops working at once: a calendar subscribed to it keeps"
                    " what it has but receives nothing more."
                ),
                _("You then subscribe again, with the new address."),
            ],
            button=_("Give my calendar a new address"),
            back=back,
        )
    )


@bp.route("/<lang>/congresses/<slug>/agenda/feed", methods=["GET", "POST"])
@access("signed_in")
def reissue_user_feed(slug: str):
    """The signed-in owner gives their agenda's feed a new address; the old one answers 404."""
    congress = congress_or_404(slug)
    back = url_for("programme.my_agenda", slug=slug)
    if request.method == "GET":
        agenda = agenda_of(congress, user_id=current_user.id)
        return _reissue_confirmation(agenda is not None, back)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    replaced = operations.reissue_feed(congress, user_id=current_user.id)
    _flash_issued(replaced)
    return redirect(back)


@bp.route("/<lang>/agenda/<token>/feed", methods=["GET", "POST"])
@access("token")
def reissue_delegate_feed(token: str):
    """The same for a delegate, through the personal link mailed at accreditation."""
    delegate = queries.delegate_by_token(token)
    if delegate is None:
        abort(404)
    congress = delegate.delegation.congress
    back = url_for("programme.delegate_agenda", token=token)
    if request.method == "GET":
        agenda = agenda_of(congress, delegate_id=delegate.id)
        return _reissue_confirmation(agenda is not None, back)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    replaced = operations.reissue_feed(congress, delegate_id=delegate.id)
    _flash_issued(replaced)
    return redirect(back)
