from datetime import UTC, datetime

from sqlalchemy import func, select

from congress.congresses.models import Congress
from congress.extensions import db
from congress.programme.models import Agenda, AgendaEntry, Room, Session, SessionPerson, SessionRole
from congress.programme.rules import programme_is_public
from congress.registration.models import Delegate, Delegation, DelegationStatus
from congress.registration.rules import members_editable, registration_window


def demo_rows():
    return (
        sorted(
            db.session.execute(
                select(Delegation.country_code, Delegation.organisation_name, Delegation.status)
            ).all(),
            key=str,
        ),
        sorted(
            db.session.execute(
                select(Delegate.given_names, Delegate.family_name, Delegate.email)
            ).all()
        ),
        sorted(
            db.session.execute(
                select(Session.uid, Session.starts_at, Room.position).join(Room)
            ).all()
        ),
        sorted(
            db.session.execute(
                select(Session.uid, SessionPerson.role, SessionPerson.position, SessionPerson.name)
                .join(Session)
                .outerjoin(Delegate, Delegate.id == SessionPerson.delegate_id)
                .add_columns(Delegate.email)
            ).all(),
            key=str,
        ),
        sorted(
            db.session.execute(
                select(Agenda.feed_token, Delegate.email, Session.uid)
                .join(Delegate, Delegate.id == Agenda.delegate_id)
                .join(AgendaEntry, AgendaEntry.agenda_id == Agenda.id)
                .join(Session, Session.id == AgendaEntry.session_id)
            ).all()
        ),
    )


def test_demo_data_builds_a_marked_congress_of_the_asked_size(runner, archive):
    result = runner.invoke(
        args=["demo-data", "--delegations", "12", "--delegates", "40", "--sessions", "15"]
    )
    assert result.exit_code == 0, result.output
    with archive.app_context():
        demo = db.session.scalar(select(Congress).where(Congress.is_demo))
        assert demo.slug == "demo"
        assert db.session.scalar(select(func.count()).select_from(Delegation)) == 12
        assert db.session.scalar(select(func.count()).select_from(Delegate)) == 40
        assert (
            db.session.scalar(
                select(func.count()).select_from(Session).where(Session.congress_id == demo.id)
            )
            == 15
        )
        # No fictional person in a real edition.
        real = select(Congress.id).where(Congress.is_demo.is_(False))
        assert (
            db.session.scalar(
                select(func.count()).select_from(Delegate).where(Delegate.congress_id.in_(real))
            )
            == 0
        )
        names = {d.family_name for d in db.session.scalars(select(Delegate))}
        assert any(not n.isascii() for n in names)


def test_demo_data_is_deterministic_from_its_seed(runner, app):
    args = ["demo-data", "--delegations", "20", "--delegates", "60", "--sessions", "30"]
    runner.invoke(args=args)
    with app.app_context():
        first = demo_rows()
    runner.invoke(args=args)
    with app.app_context():
        assert demo_rows() == first
    runner.invoke(args=[*args, "--seed", "7"])
    with app.app_context():
        assert demo_rows() != first


def test_demo_sessions_never_share_a_room_at_once(runner, app):
    runner.invoke(
        args=[
            "demo-data",
            "--delegations",
            "3",
            "--delegates",
            "3",
            "--sessions",
            "200",
            "--rooms",
            "8",
        ]
    )
    with app.app_context():
        slots = db.session.execute(select(Session.room_id, Session.starts_at)).all()
        assert len(slots) == len(set(slots)) == 200


def test_demo_data_refuses_sizes_that_cannot_fit(runner, app):
    result = runner.invoke(args=["demo-data", "--sessions", "100", "--rooms", "1", "--days", "1"])
    assert result.exit_code != 0
    assert "100 sessions do not fit in 1 rooms over 1 days" in result.output


def test_demo_holds_what_the_pages_and_feeds_show(runner, app):
    result = runner.invoke(
        args=["demo-data", "--delegations", "30", "--delegates", "300", "--sessions", "40"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        demo = db.session.scalar(select(Congress).where(Congress.is_demo))
        assert programme_is_public(demo)
        now = datetime(2026, 6, 1, tzinfo=UTC)
        assert registration_window(demo, now).state == "open"
        delegations = list(db.session.scalars(select(Delegation)))
        statuses = {d.status for d in delegations}
        assert {DelegationStatus.ACCREDITED, DelegationStatus.DRAFT} <= statuses
        draft = next(d for d in delegations if d.status is DelegationStatus.DRAFT)
        assert members_editable(draft, now)

        # Every session has exactly one chair, first; speakers are delegates of the public
        # list (accredited, consenting, not withdrawn) or people the organisers named.
        people = db.session.execute(
            select(SessionPerson.session_id, SessionPerson.role, SessionPerson.position)
        ).all()
        chairs = [(s, p) for s, role, p in people if role is SessionRole.CHAIR]
        assert sorted(s for s, _ in chairs) == sorted(db.session.scalars(select(Session.id)))
        assert {p for _, p in chairs} == {0}
        named = db.session.scalars(
            select(Delegate).join(SessionPerson, SessionPerson.delegate_id == Delegate.id)
        ).all()
        assert named
        for delegate in named:
            assert delegate.public_consent and not delegate.withdrawn
            assert delegate.delegation.status is DelegationStatus.ACCREDITED
        assert db.session.scalar(
            select(func.count()).select_from(SessionPerson).where(SessionPerson.name.is_not(None))
        )

        # Personal agendas of listed delegates, each with a few sessions and its own feed.
        agendas = db.session.scalars(select(Agenda)).all()
        assert len(agendas) >= 10
        for agenda in agendas:
            assert agenda.congress_id == demo.id and agenda.user_id is None
            assert 3 <= len(agenda.entries) <= 12
            assert agenda.feed_token.startswith("demo2008f")
        assert len({a.feed_token for a in agendas}) == len(agendas)


def test_demo_personal_feed_answers_with_its_sessions(runner, client, app):
    runner.invoke(
        args=["demo-data", "--delegations", "10", "--delegates", "100", "--sessions", "20"]
    )
    with app.app_context():
        agenda = db.session.scalars(select(Agenda).order_by(Agenda.id)).first()
        # The feed's UIDs carry the site's domain (SERVER_NAME in the tests).
        uids = sorted(f"{entry.session.uid}@congress.test" for entry in agenda.entries)
        token = agenda.feed_token
    response = client.get(f"/feeds/{token}.ics")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert sorted(line[4:] for line in body.splitlines() if line.startswith("UID:")) == uids


def test_demo_descriptions_are_real_sized_in_both_working_languages(runner, app, client):
    runner.invoke(args=["demo-data", "--delegations", "6", "--delegates", "20", "--sessions", "12"])
    with app.app_context():
        sessions = db.session.scalars(
            select(Session).join(Congress).where(Congress.is_demo).order_by(Session.id)
        ).all()
        for session in sessions:
            # Each of the session's working languages, and no other.
            assert sorted(session.description) == sorted(session.working_languages)
            assert session.description["en"].startswith("Synthetic description of a demo session. ")
            for text in session.description.values():
                assert 1200 <= len(text) < 1400
        # Drawn from the seed: not every session says the same.
        assert len({session.description["en"] for session in sessions}) > 1
        first = sessions[0].description
    # The feed carries the description (folded at 75 octets, so compare unfolded).
    feed = client.get("/congresses/demo/calendar.ics").get_data(as_text=True)
    unfolded = feed.replace("\r\n ", "")
    assert first["en"][:200] in unfolded.replace("\\,", ",").replace("\\;", ";")
