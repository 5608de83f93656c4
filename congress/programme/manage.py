"""Organiser pages: rooms, themes and sessions of a congress, and publishing its programme.

Views only: ``@access("organiser")`` loads the congress and checks its organiser,
the forms are parsed here, the rules decide (:mod:`congress.programme.rules`) and
every change is one transaction of :mod:`congress.programme.operations`.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from congress.confirm import Confirmation, ConfirmForm, Recipient, confirmation_page
from congress.congresses.localtime import NonexistentLocalTime, offset_text, to_local, to_utc
from congress.congresses.models import Congress
from congress.i18n import current_language
from congress.i18n.content import localized_text
from congress.i18n.countries import country_name
from congress.programme import changes as publishing
from congress.programme import operations, queries
from congress.programme.forms import RoomForm, SessionForm, ThemeForm, working_language_choices
from congress.programme.models import (
    Room,
    Session,
    SessionKind,
    SessionRole,
    SessionStatus,
    Theme,
)
from congress.programme.rules import PersonDraft, SessionDraft, check_session, programme_is_public
from congress.programme.views import zone_context
from congress.registration.models import Delegate
from congress.security import access

bp = Blueprint("programme_manage", __name__, url_prefix="/<lang>/manage/congresses/<slug>")


def _valid(form, congress: Congress, text: str) -> bool:
    """A submitted form whose fields are valid and whose ``text`` is in the original language."""
    if not form.is_submitted():
        return False
    valid = form.validate_on_submit()
    # Checked even when other fields fail, so that every error shows at once.
    return form.require_original(congress.original_language, (text,)) and valid


# -- The programme as a whole ------------------------------------------------


@bp.get("/programme")
@access("organiser")
def overview(congress: Congress):
    count = queries.session_count(congress)
    return render_template(
        "programme/manage/overview.html",
        congress=congress,
        session_count=count,
        public=programme_is_public(congress),
        publications=publishing.publications(congress),
        **zone_context(congress),
    )


@bp.post("/programme/publish")
@access("organiser")
def publish(congress: Congress):
    publication = operations.publish_programme(congress, current_user.id)
    flash(_("The programme is published (publication %(number)d).", number=publication.number))
    return redirect(url_for("programme_manage.overview", slug=congress.slug))


# -- Rooms -------------------------------------------------------------------


@bp.get("/rooms")
@access("organiser")
def rooms(congress: Congress):
    return render_template(
        "programme/manage/rooms.html", congress=congress, rooms=queries.rooms(congress)
    )


@bp.route("/rooms/new", methods=["GET", "POST"], endpoint="room_new")
@bp.route("/rooms/<int:room_id>/edit", methods=["GET", "POST"])
@access("organiser")
def room_edit(congress: Congress, room_id: int | None = None):
    room = queries.owned_or_404(Room, room_id, congress) if room_id else None
    form = RoomForm()
    if not form.is_submitted() and room is not None:
        form.fill_texts("name", room.name)
        form.capacity.data = room.capacity
        form.position.data = room.position
    if _valid(form, congress, "name"):
        room = operations.save_room(
            congress,
            room,
            name=form.texts("name"),
            capacity=form.capacity.data,
            position=form.position.data,
        )
        flash(_("Room saved: %(name)s.", name=localized_text(room, "name")))
        return redirect(url_for("programme_manage.rooms", slug=congress.slug))
    return render_template(
        "programme/manage/room_form.html", congress=congress, room=room, form=form
    )


# -- Themes ------------------------------------------------------------------


@bp.get("/themes")
@access("organiser")
def themes(congress: Congress):
    return render_template(
        "programme/manage/themes.html", congress=congress, themes=queries.themes(congress)
    )


@bp.route("/themes/new", methods=["GET", "POST"], endpoint="theme_new")
@bp.route("/themes/<int:theme_id>/edit", methods=["GET", "POST"])
@access("organiser")
def theme_edit(congress: Congress, theme_id: int | None = None):
    theme = queries.owned_or_404(Theme, theme_id, congress) if theme_id else None
    form = ThemeForm()
    if not form.is_submitted() and theme is not None:
        form.number.data = theme.number
        form.fill_texts("name", theme.name)
    valid = _valid(form, congress, "name")
    if valid and queries.theme_number_taken(congress, form.number.data, theme):
        form.number.errors = [
            *form.number.errors,
            _("Another theme has number %(number)d.", number=form.number.data),
        ]
        valid = False
    if valid:
        theme = operations.save_theme(
            congress, theme, number=form.number.data, name=form.texts("name")
        )
        flash(_("Theme saved: %(name)s.", name=localized_text(theme, "name")))
        return redirect(url_for("programme_manage.themes", slug=congress.slug))
    return render_template(
        "programme/manage/theme_form.html", congress=congress, theme=theme, form=form
    )


# -- Sessions ----------------------------------------------------------------


@bp.get("/sessions")
@access("organiser")
def sessions(congress: Congress):
    return render_template(
        "programme/manage/sessions.html",
        congress=congress,
        sessions=queries.sessions(congress),
        public=programme_is_public(congress),
        **zone_context(congress),
    )


def delegate_label(delegate: Delegate, congress: Congress, lang: str) -> str:
    """ "Silva, Ana (Brazil)": a delegate as the pickers and messages name them."""
    delegation = delegate.delegation
    if delegation.country_code:
        of = country_name(delegation.country_code, lang, congress.start_date)
    else:
        of = delegation.organisation_name or ""
    return f"{delegate.family_name}, {delegate.given_names} ({of})"


class SessionEditor:
    """The session form with its choices, and the conversion of its values."""

    def __init__(self, congress: Congress, item: Session | None):
        lang = current_language()
        self.congress = congress
        self.item = item
        self.themes = {t.id: t for t in queries.themes(congress)}
        self.rooms = {r.id: r for r in queries.rooms(congress)}
        self.delegate_labels = {
            d.id: delegate_label(d, congress, lang) for d in queries.delegates(congress, lang)
        }
        form = self.form = SessionForm()
        form.theme_id.choices = [SelectChoice(0, _("No theme"))] + [
            SelectChoice(t.id, f"{t.number}. {localized_text(t, 'name')}")
            for t in self.themes.values()
        ]
        form.room_id.choices = [SelectChoice(0, _("No room yet"))] + [
            SelectChoice(r.id, _room_choice(r)) for r in self.rooms.values()
        ]
        people = [SelectChoice(key, label) for key, label in self.delegate_labels.items()]
        form.chair_delegates.choices = people
        form.speaker_delegates.choices = people
        form.working_languages.choices = working_language_choices(lang)
        # Cancelling and reinstating have their confirmation pages; the form keeps the state.
        cancelled = item is not None and item.cancelled
        form.status.choices = [
            c
            for c in form.status.choices
            if (c.value == SessionStatus.CANCELLED.value) == cancelled
        ]
        self.warnings: list[str] = []
        if not form.is_submitted():
            self._fill()

    def _fill(self) -> None:
        form, item, zone = self.form, self.item, self.congress.zone
        if item is None:
            form.status.data = SessionStatus.CONFIRMED.value
            return
        form.kind.data = item.kind.value
        form.theme_id.data = item.theme_id or 0
        form.fill_texts("title", item.title)
        form.fill_texts("description", item.description)
        form.starts_at.data = to_local(item.starts_at, zone)
        form.ends_at.data = to_local(item.ends_at, zone)
        form.room_id.data = item.room_id or 0
        for role, picked, typed in (
            (SessionRole.CHAIR, form.chair_delegates, form.chair_names),
            (SessionRole.SPEAKER, form.speaker_delegates, form.speaker_names),
        ):
            people = [p for p in item.people if p.role is role]
            picked.data = [p.delegate_id for p in people if p.delegate_id is not None]
            typed.data = "\n".join(p.name for p in people if p.delegate_id is None and p.name)
        form.working_languages.data = list(item.working_languages or [])
        form.expected_attendance.data = item.expected_attendance
        form.status.data = item.status.value
        form.illustrative.data = item.illustrative
        form.end_illustrative.data = item.end_illustrative

    def people(self) -> list[PersonDraft]:
        form = self.form
        found = []
        for role, picked, typed in (
            (SessionRole.CHAIR, form.chair_delegates, form.chair_names),
            (SessionRole.SPEAKER, form.speaker_delegates, form.speaker_names),
        ):
            for delegate_id in picked.data or []:
                found.append(
                    PersonDraft(role, delegate_id, None, self.delegate_labels[delegate_id])
                )
            for name in form.names(typed):
                found.append(PersonDraft(role, None, name, name))
        return found

    def _instant(self, field):
        """The UTC instant of a wall-clock field, or None with the field's error set."""
        try:
            return to_utc(field.data, self.congress.zone)
        except NonexistentLocalTime as gap:
            field.errors = [
                *field.errors,
                _(
                    "%(time)s does not exist on %(date)s in %(zone)s: the clocks went forward"
                    " from %(before)s to %(after)s. Enter a time before or after the change.",
                    time=gap.local.strftime("%H:%M"),
                    date=gap.local.date().isoformat(),
                    zone=self.congress.timezone,
                    before=offset_text(gap.offset_before),
                    after=offset_text(gap.offset_after),
                ),
            ]
            return None

    def check(self) -> SessionDraft | None:
        """Validate the form and the programme's rules; the draft when it may be saved."""
        form, congress = self.form, self.congress
        if not _valid(form, congress, "title"):
            return None
        start, end = self._instant(form.starts_at), self._instant(form.ends_at)
        if start is None or end is None:
            return None
        if end.instant <= start.instant:
            form.ends_at.errors = [*form.ends_at.errors, _("The session must end after it starts.")]
            return None
        draft = SessionDraft(
            starts_at=start.instant,
            ends_at=end.instant,
            room_id=form.room_id.data or None,
            status=SessionStatus(form.status.data),
            expected_attendance=form.expected_attendance.data,
            people=self.people(),
            id=self.item.id if self.item else None,
            ambiguous_times=[
                field.data
                for reading, field in ((start, form.starts_at), (end, form.ends_at))
                if reading.ambiguous
            ],
        )
        others = queries.sessions_during(congress, draft.starts_at, draft.ends_at, exclude=draft.id)
        verdict = check_session(draft, congress, self.rooms.get(draft.room_id), others)

        def title_of(session):
            return localized_text(session, "title")

        if verdict.errors:
            form.room_id.errors = [
                *form.room_id.errors,
                *(problem.message(congress, title_of) for problem in verdict.errors),
            ]
            return None
        accepted = form.save_anyway.data and form.accepted_warnings.data == verdict.warning_keys
        if verdict.warnings and not accepted:
            self.warnings = [problem.message(congress, title_of) for problem in verdict.warnings]
            form.accepted_warnings.data = verdict.warning_keys
            form.save_anyway.data = False
            return None
        return draft

    def content(self) -> operations.SessionContent:
        """The form's texts and choices, for :func:`congress.programme.operations.save_session`."""
        form = self.form
        picked = set(form.working_languages.data or [])
        return operations.SessionContent(
            kind=SessionKind(form.kind.data),
            theme=self.themes.get(form.theme_id.data),
            room=self.rooms.get(form.room_id.data),
            title=form.texts("title"),
            description=form.texts("description"),
            # In the order the choices list them, whatever order the browser sent.
            working_languages=[
                c.value for c in form.working_languages.choices if c.value in picked
            ],
            illustrative=form.illustrative.data,
            end_illustrative=form.end_illustrative.data,
        )


def _room_choice(room: Room) -> str:
    name = localized_text(room, "name")
    if room.capacity:
        return _("%(name)s (%(seats)d seats)", name=name, seats=room.capacity)
    return name


@bp.route("/sessions/new", methods=["GET", "POST"], endpoint="session_new")
@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@access("organiser")
def session_edit(congress: Congress, session_id: int | None = None):
    item = queries.session_or_404(congress, session_id, with_people=True) if session_id else None
    editor = SessionEditor(congress, item)
    if editor.form.is_submitted():
        draft = editor.check()
        if draft is not None:
            saved = operations.save_session(
                congress, item, draft, editor.content(), current_user.id
            )
            flash(_("Session saved: %(title)s.", title=localized_text(saved, "title")))
            return redirect(
                url_for("programme_manage.sessions", slug=congress.slug, _anchor=f"s{saved.id}")
            )
    return render_template(
        "programme/manage/session_form.html",
        congress=congress,
        item=item,
        form=editor.form,
        warnings=editor.warnings,
        public=programme_is_public(congress),
        **zone_context(congress),
    )


def _session_back(congress: Congress, item: Session) -> str:
    return url_for("programme_manage.session_edit", slug=congress.slug, session_id=item.id)


def _session_consequences(congress: Congress, item: Session, *, cancelling: bool):
    """What a cancellation or a reinstatement changes beyond the session's row, and who hears.

    Once the programme is public, everyone holding the session in their agenda is mailed the
    change (:func:`congress.programme.notices.note`); before, nobody is.
    """
    holders = queries.agenda_holders(item)
    public = programme_is_public(congress)
    said = [
        _("It stays in the programme, marked cancelled wherever it appears.")
        if cancelling
        else _("It is confirmed again, at its time and in its room.")
    ]
    if public:
        said.append(
            _(
                "The programme is public: the change raises the session's revision, is listed"
                " on the changes page and reaches every calendar that subscribes to it."
            )
        )
    if holders:
        said.append(
            ngettext(
                "%(num)d person has it in their agenda; their calendar shows the change.",
                "%(num)d people have it in their agenda; their calendars show the change.",
                len(holders),
            )
        )
    sent = _("A notice of the change, with the session's time and room, in their language")
    recipients = [Recipient(name, email, sent) for name, email in holders] if public else []
    return said, recipients


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@access("organiser")
def session_cancel(congress: Congress, session_id: int):
    item = queries.session_or_404(congress, session_id, with_people=True)
    title = localized_text(item, "title")
    if request.method == "GET":
        said, recipients = _session_consequences(congress, item, cancelling=True)
        return confirmation_page(
            Confirmation(
                caption=localized_text(congress, "name"),
                title=_("Cancel the session “%(title)s”?", title=title),
                happens=said,
                recipients=recipients,
                undo=_("You can reinstate a cancelled session later."),
                button=_("Cancel the session"),
                back=_session_back(congress, item),
                refused=_("This session is already cancelled.") if item.cancelled else "",
            )
        )
    if not ConfirmForm().validate_on_submit():
        abort(400)
    operations.cancel_session(congress, item, current_user.id)
    flash(_("Session cancelled: %(title)s.", title=title))
    return redirect(url_for("programme_manage.sessions", slug=congress.slug, _anchor=f"s{item.id}"))


@bp.route("/sessions/<int:session_id>/reinstate", methods=["GET", "POST"])
@access("organiser")
def session_reinstate(congress: Congress, session_id: int):
    """A cancelled session back in the programme, confirmed."""
    item = queries.session_or_404(congress, session_id, with_people=True)
    title = localized_text(item, "title")
    if request.method == "GET":
        said, recipients = _session_consequences(congress, item, cancelling=False)
        return confirmation_page(
            Confirmation(
                caption=localized_text(congress, "name"),
                title=_("Reinstate the session “%(title)s”?", title=title),
                happens=said,
                recipients=recipients,
                undo=_("You can cancel it again."),
                button=_("Reinstate the session"),
                back=_session_back(congress, item),
                refused="" if item.cancelled else _("This session is not cancelled."),
                danger=False,
            )
        )
    if not ConfirmForm().validate_on_submit():
        abort(400)
    operations.reinstate_session(congress, item, current_user.id)
    flash(_("Session reinstated: %(title)s.", title=title), "success")
    return redirect(url_for("programme_manage.sessions", slug=congress.slug, _anchor=f"s{item.id}"))
