"""The timetable's one query of sessions: the columns it draws, rooms and themes from the
congress's own lists, and the filters as the other lists apply them."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.exc import InvalidRequestError

from congress.extensions import db
from congress.programme import queries
from congress.programme.models import SessionKind
from tests.programme_support import (
    congress_by_slug,
    count_queries,
    make_congress,
    make_room,
    make_session,
    make_theme,
)


def test_sessions_come_with_their_rooms_and_themes_and_nothing_more(app):
    with app.app_context():
        congress = make_congress()
        plenary_hall, side_room = make_room(congress, "Plenary hall"), make_room(congress, "B")
        one, two = make_theme(congress, 1, "Prevention"), make_theme(congress, 2, "Protection")
        start = datetime(2030, 11, 25, 9)
        for n, (room, theme) in enumerate(
            [(plenary_hall, one), (side_room, two), (None, None), (side_room, one)]
        ):
            make_session(
                congress,
                f"Session {n}",
                start + timedelta(hours=n),
                start + timedelta(hours=n, minutes=45),
                room=room,
                theme=theme,
            )
        db.session.commit()
        db.session.expunge_all()

        congress = congress_by_slug("lisbon-2030")
        # Held, as the view holds them: the sessions find their rooms among these.
        rooms, themes = queries.rooms(congress), queries.themes(congress)
        with count_queries() as n:
            found = queries.timetable_sessions(congress, themes)
            drawn = [
                (s.title["en"], s.room.name["en"] if s.room else None, s.theme and s.theme.number)
                for s in found
            ]
        # One query: rooms and themes are those already loaded.
        assert n[0] == 1
        assert {s.room for s in found} == {*rooms, None}
        assert drawn == [
            ("Session 0", "Plenary hall", 1),
            ("Session 1", "B", 2),
            ("Session 2", None, None),
            ("Session 3", "B", 1),
        ]
        # What the timetable does not draw is not read, and reading it does not query.
        with pytest.raises(InvalidRequestError):
            getattr(found[0], "description")  # noqa: B009
        with pytest.raises(InvalidRequestError):
            getattr(found[0], "source")  # noqa: B009

        by_theme = queries.timetable_sessions(congress, themes, theme=1)
        assert [s.title["en"] for s in by_theme] == ["Session 0", "Session 3"]
        assert [s.id for s in by_theme] == [s.id for s in queries.sessions(congress, theme=1)]
        kind = found[0].kind
        assert [s.id for s in queries.timetable_sessions(congress, themes, kind=kind)] == [
            s.id for s in queries.sessions(congress, kind=kind)
        ]
        other = next(k for k in SessionKind if k is not kind)
        assert [s.id for s in queries.timetable_sessions(congress, themes, kind=other)] == [
            s.id for s in queries.sessions(congress, kind=other)
        ]
