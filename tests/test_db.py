from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError

from congress.congresses.models import Congress
from congress.extensions import db
from congress.programme.models import Room, Session, SessionKind
from tests.conftest import make_app


def make_congress(**values) -> Congress:
    defaults = dict(
        slug="test-congress",
        name={"en": "Test"},
        city={"en": "Rio"},
        country_code="BR",
        timezone="America/Sao_Paulo",
        start_date=date(2008, 11, 25),
        end_date=date(2008, 11, 28),
    )
    return Congress(**(defaults | values))


def test_datetimes_come_back_in_utc_whatever_zone_went_in(app):
    with app.app_context():
        congress = make_congress()
        rio_summer = timezone(timedelta(hours=-2))
        session = Session(
            congress=congress,
            kind=SessionKind.OPENING_CEREMONY,
            title={"en": "Opening"},
            starts_at=datetime(2008, 11, 25, 19, 30, tzinfo=rio_summer),
            ends_at=datetime(2008, 11, 25, 21, 30, tzinfo=rio_summer),
        )
        db.session.add(session)
        db.session.commit()
        db.session.expire_all()
        stored = db.session.scalar(select(Session))
        assert stored.starts_at == datetime(2008, 11, 25, 21, 30, tzinfo=UTC)
        assert stored.starts_at.tzinfo is UTC


def test_naive_datetimes_are_refused(app):
    with app.app_context():
        congress = make_congress()
        db.session.add(
            Session(
                congress=congress,
                kind=SessionKind.PLENARY,
                title={"en": "x"},
                starts_at=datetime(2008, 11, 25, 19, 30),
                ends_at=datetime(2008, 11, 25, 21),
            )
        )
        with pytest.raises(StatementError, match="naive datetime"):
            db.session.commit()


def test_translated_text_refuses_unknown_languages_and_drops_empty_ones(app):
    with app.app_context():
        db.session.add(make_congress(name={"en": "Test", "fr": ""}))
        db.session.commit()
        db.session.expire_all()
        assert db.session.scalar(select(Congress)).name == {"en": "Test"}
        db.session.add(make_congress(slug="other", name={"de": "Kongress"}))
        with pytest.raises(StatementError, match="unknown languages"):
            db.session.commit()


def test_foreign_keys_are_enforced(app):
    with app.app_context():
        db.session.add(Room(congress_id=999, name={"en": "Nowhere"}))
        with pytest.raises(IntegrityError):
            db.session.commit()


def test_constraints_follow_the_naming_convention(app):
    with app.app_context():
        congress = make_congress(start_date=date(2008, 11, 28), end_date=date(2008, 11, 25))
        db.session.add(congress)
        with pytest.raises(IntegrityError, match="dates_in_order"):
            db.session.commit()


def test_sqlite_connections_switch_foreign_keys_on(tmp_path):
    app = make_app(tmp_path, None)
    with app.app_context():
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
