from sqlalchemy import func, select

from congress.archive.models import Congress
from congress.extensions import db
from congress.programme.models import Room, Session
from congress.registration.models import Delegate, Delegation


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
        sorted(db.session.execute(select(Session.uid, Session.starts_at, Room.position).join(Room)).all()),
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
