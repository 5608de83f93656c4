"""What is on now and next, read on the congress's own clock, at the top of the timetable."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from congress.extensions import db
from congress.programme import timetable, views
from congress.programme.models import SessionStatus
from tests.programme_support import make_congress, make_session


def titles(sessions) -> list[str]:
    return [s.title["en"] for s in sessions]


@pytest.fixture
def lisbon(app):
    """Two days in Lisbon (UTC+0 in November), a cancelled session among them."""
    with app.app_context():
        congress = make_congress()
        make_session(congress, "Opening", datetime(2030, 11, 25, 9), datetime(2030, 11, 25, 10))
        make_session(congress, "Panel A", datetime(2030, 11, 25, 10), datetime(2030, 11, 25, 12))
        make_session(congress, "Panel B", datetime(2030, 11, 25, 10), datetime(2030, 11, 25, 11))
        make_session(congress, "Lunch talk", datetime(2030, 11, 25, 12), datetime(2030, 11, 25, 13))
        make_session(
            congress,
            "Dropped",
            datetime(2030, 11, 25, 12),
            datetime(2030, 11, 25, 13),
            status=SessionStatus.CANCELLED,
        )
        make_session(congress, "Closing", datetime(2030, 11, 26, 9), datetime(2030, 11, 26, 10))
        db.session.commit()
        yield congress


def _on(congress, at):
    return timetable.now_and_next(
        congress.sessions, at, congress.zone, congress.start_date, congress.end_date
    )


def test_what_runs_now_and_the_sessions_that_start_next(app, lisbon):
    with app.app_context():
        congress = db.session.merge(lisbon)
        on = _on(congress, datetime(2030, 11, 25, 10, 30, tzinfo=UTC))
        assert titles(on.now) == ["Panel B", "Panel A"]  # the one that ends first, first
        assert on.next_at == datetime(2030, 11, 25, 12, tzinfo=UTC)
        # The cancelled session at noon is not what comes next.
        assert titles(on.next) == ["Lunch talk"]


def test_between_days_next_is_the_next_morning_and_nothing_runs(app, lisbon):
    with app.app_context():
        congress = db.session.merge(lisbon)
        on = _on(congress, datetime(2030, 11, 25, 20, tzinfo=UTC))
        assert on.now == []
        assert titles(on.next) == ["Closing"]
        assert on.next_at == datetime(2030, 11, 26, 9, tzinfo=UTC)


def test_nothing_outside_the_congress_days_or_after_its_last_session(app, lisbon):
    with app.app_context():
        congress = db.session.merge(lisbon)
        assert _on(congress, datetime(2030, 11, 24, 23, 59, tzinfo=UTC)) is None
        assert _on(congress, datetime(2030, 11, 29, 0, 1, tzinfo=UTC)) is None
        # On the last day, once its last session has ended, there is no "next" to announce.
        assert _on(congress, datetime(2030, 11, 26, 10, 0, tzinfo=UTC)) is None


def test_the_days_are_the_congress_s_own_not_utc(app):
    """In Tokyo (UTC+9) the first day starts at 15:00 UTC the day before."""
    with app.app_context():
        congress = make_congress(slug="tokyo", timezone="Asia/Tokyo")
        make_session(congress, "Opening", datetime(2030, 11, 25, 9), datetime(2030, 11, 25, 10))
        db.session.commit()
        on = _on(congress, datetime(2030, 11, 24, 15, 30, tzinfo=UTC))  # 00:30 on the 25th
        assert on is not None and titles(on.next) == ["Opening"]
        assert _on(congress, datetime(2030, 11, 24, 14, 30, tzinfo=UTC)) is None  # the 24th


def test_the_rio_timetable_shows_now_and_next_in_the_congress_time(archive, client, monkeypatch):
    # 10:15 in Rio de Janeiro (UTC−02:00) on 26 November 2008: the first panel is under way.
    monkeypatch.setattr(views, "utcnow", lambda: datetime(2008, 11, 26, 12, 15, tzinfo=UTC))
    html = client.get("/en/congresses/rio-2008/programme").get_data(as_text=True)
    section = re.search(r'<section class="now-and-next".*?</section>', html, re.S).group(0)
    text = " ".join(re.sub(r"<[^>]+>", " ", section).split())
    assert "It is 10:15 in Rio de Janeiro (UTC−02:00)." in text
    assert re.search(
        r"On now 09:00 – 10:30 Panel 1: Forms of commercial sexual exploitation and its new "
        r"scenarios .*Next, at 11:00 11:00 – 12:30 Panel 2: Legal framework and accountability",
        text,
    )
    # The jump links: now and next first, then a link to each day's section.
    links = re.findall(r'<a class="day-links__link[^"]*" href="#([^"]+)">([^<]+)</a>', html)
    assert links == [
        ("now-and-next", "Now and next"),
        ("day-2008-11-25", "Tue 25 Nov"),
        ("day-2008-11-26", "Wed 26 Nov"),
        ("day-2008-11-27", "Thu 27 Nov"),
        ("day-2008-11-28", "Fri 28 Nov"),
    ]
    for target, _label in links:
        assert f'id="{target}"' in html


def test_outside_the_congress_the_timetable_has_no_now_and_next(archive, client, monkeypatch):
    monkeypatch.setattr(views, "utcnow", lambda: datetime(2026, 5, 1, 12, tzinfo=UTC))
    html = client.get("/fr/congresses/rio-2008/programme").get_data(as_text=True)
    assert 'id="now-and-next"' not in html
    assert '<a class="day-links__link" href="#day-2008-11-25">mar. 25 nov.</a>' in html
