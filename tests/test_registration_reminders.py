"""Deadline reminders: each draft delegation's focal point is mailed once before registration
closes, in their language, with the deadline in the venue's time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from congress.db import utcnow
from congress.extensions import db
from congress.mail import read_outbox
from congress.registration.models import (
    Category,
    DeadlineReminder,
    DelegationStatus,
)
from congress.registration.reminders import remind_due
from tests import factories
from tests.programme_support import make_congress

CLOSES = datetime(2030, 11, 1, 2, 59, tzinfo=UTC)  # 23:59 on 31 October in São Paulo


def outbox(app):
    with app.app_context():
        return read_outbox()


@pytest.fixture
def drafts(app):
    with app.app_context():
        congress = make_congress(
            "brasilia-2030",
            name={"en": "Brasília Congress", "fr": "Congrès de Brasília"},
            timezone="America/Sao_Paulo",
            registration_closes_at=CLOSES,
        )
        other = make_congress("later-2030", registration_closes_at=CLOSES + timedelta(days=30))
        claire = factories.user("claire@example.org", name="Claire", language="fr")
        sam = factories.user("sam@example.org", name="Sam", language="en")
        done = factories.user("done@example.org", name="Done")
        reminded = factories.delegation(
            congress, focal_point=claire, category=Category.STATE, country_code="FR"
        )
        ngo = factories.delegation(
            congress, focal_point=sam, category=Category.NGO, organisation_name="Child Rights Net"
        )
        factories.delegation(
            congress,
            focal_point=done,
            category=Category.NGO,
            organisation_name="Submitted already",
            status=DelegationStatus.SUBMITTED,
        )
        factories.delegation(congress, category=Category.NGO, organisation_name="Nobody's")
        factories.delegation(other, focal_point=done, category=Category.STATE, country_code="PT")
        db.session.commit()
        return {"congress": congress.id, "fr": reminded.id, "ngo": ngo.id}


def test_focal_points_of_drafts_are_reminded_once_in_their_language(app, drafts):
    with app.app_context():
        # Eight days before: not yet (seven by default).
        assert remind_due(CLOSES - timedelta(days=8)) == 0
        assert remind_due(CLOSES - timedelta(days=6)) == 2
        assert remind_due(CLOSES - timedelta(days=5)) == 0
        assert remind_due(CLOSES - timedelta(hours=1)) == 0
        kept = db.session.scalars(select(DeadlineReminder).order_by(DeadlineReminder.id)).all()
        assert [(r.delegation_id, r.closes_at) for r in kept] == [
            (drafts["fr"], CLOSES),
            (drafts["ngo"], CLOSES),
        ]
    mails = {str(m["To"]): m for m in outbox(app)}
    assert sorted(mails) == ["claire@example.org", "sam@example.org"]
    english = mails["sam@example.org"]
    assert english["Subject"] == "Registration closes soon: Brasília Congress"
    assert english.get_content() == (
        "Hello Sam,\n\n"
        "The delegation Child Rights Net to the Brasília Congress is still a draft: the "
        "organisers review only delegations that are submitted.\n\n"
        "Registration closes on 31 October 2030, 23:59 (UTC−03:00), the venue's time "
        "(America/Sao_Paulo). Submit the delegation before then.\n\n"
        "Your delegation's page:\n"
        f"http://congress.test/en/delegations/{drafts['ngo']}\n\n"
        "-- \nWorld Congresses\nhttp://congress.test/en/\n"
    )
    french = mails["claire@example.org"]
    assert french["Content-Language"] == "fr"
    body = french.get_content()
    assert body.startswith("Bonjour Claire,\n\n")
    # The deadline in French words and the venue's time (the sentences once translated).
    assert "31 octobre 2030, 23:59 (UTC−03:00)" in body
    assert "France" in body
    assert f"http://congress.test/fr/delegations/{drafts['fr']}\n" in body


def test_a_deadline_moved_later_is_reminded_of_again(app, drafts):
    with app.app_context():
        assert remind_due(CLOSES - timedelta(days=6)) == 2
        from congress.congresses.models import Congress

        congress = db.session.get(Congress, drafts["congress"])
        congress.registration_closes_at = CLOSES + timedelta(days=3)
        db.session.commit()
        assert remind_due(CLOSES - timedelta(days=1)) == 2
        assert remind_due(CLOSES) == 0
    assert len(outbox(app)) == 4


def test_reminders_can_be_turned_off(app, drafts):
    app.config["DEADLINE_REMINDER_DAYS"] = 0
    with app.app_context():
        assert remind_due(CLOSES - timedelta(days=1)) == 0
    assert outbox(app) == []


def test_the_command_sends_what_is_due_now_once(app, runner):
    with app.app_context():
        congress = make_congress("soon", registration_closes_at=utcnow() + timedelta(days=3))
        focal = factories.user("focal@example.org", name="Focal")
        factories.delegation(
            congress, focal_point=focal, category=Category.STATE, country_code="PT"
        )
        db.session.commit()
    first = runner.invoke(args=["jobs", "remind"])
    assert first.exit_code == 0, first.output
    assert first.output == "Deadline reminders queued: 1.\n"
    again = runner.invoke(args=["jobs", "remind"])
    assert again.output == "Deadline reminders queued: 0.\n"
    (mail,) = outbox(app)
    assert mail["To"] == "focal@example.org"
    assert mail["Subject"] == "Registration closes soon: Test congress"
