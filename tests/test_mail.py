"""Mail: written to instance/outbox/ without a server, over SMTP with one, in the
recipient's language whatever the language of the page that sends it. Each message is
queued in the outbox table and sent by a job once the transaction commits."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from flask import g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from congress.accounts.models import User
from congress.extensions import db
from congress.i18n import current_language
from congress.mail import outbox_path, read_outbox, send_mail
from congress.mail.models import MailState, OutboxMessage
from tests.conftest import make_app
from tests.mail_support import SMTPServer


def _user(language="en", name="Ana"):
    return User(id=7, email="ana@example.org", name=name, language=language, password_hash="")


def _send_confirmation(user):
    return send_mail(
        user.email,
        user.language,
        _l("Confirm your email address"),
        "confirm_email",
        user=user,
        token="the-token",
        valid_for=timedelta(days=3),
    )


def test_without_a_server_each_message_is_an_eml_file_in_the_outbox(app, caplog):
    caplog.set_level(logging.INFO, logger=app.logger.name)
    with app.test_request_context("/en/"):
        for name in ("Ana", "Bruno", "Chloé"):
            _send_confirmation(_user(name=name))
        # Nothing goes out before the commit.
        assert not Path(outbox_path()).exists()
        db.session.commit()
        messages = read_outbox()
        files = sorted(Path(outbox_path()).glob("*.eml"))
        rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert Path(app.instance_path) / "outbox" == files[0].parent
    assert len(files) == 3
    # Each file is named by its message's key, and each message is marked sent once.
    assert [f.name for f in files] == [f"{r.id:012d}-{r.key}.eml" for r in rows]
    assert [(r.state, r.attempts) for r in rows] == [(MailState.SENT, 1)] * 3
    assert [r.message_id for r in rows] == [m["Message-ID"] for m in messages]
    # In the order they were sent, even within one tick of the clock.
    assert [m.get_content().splitlines()[0] for m in messages] == [
        "Hello Ana,",
        "Hello Bruno,",
        "Hello Chloé,",
    ]
    message = messages[0]
    assert message["From"] == "Congress <no-reply@localhost>"
    assert message["To"] == "ana@example.org"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@congress>")
    assert "http://congress.test/en/account/confirm/the-token" in message.get_content()
    assert any("mail to ana@example.org written to" in r.getMessage() for r in caplog.records)


def test_each_message_is_in_its_recipients_language(app):
    # A French page sends one mail to an English reader and one to a French reader.
    with app.test_request_context("/fr/account/sign-up"):
        g.lang = "fr"
        english = _send_confirmation(_user("en"))
        french = _send_confirmation(_user("fr"))
        # The page goes on in its own language afterwards.
        assert current_language() == "fr"
        assert str(get_locale()) == "fr"
    assert english["Content-Language"] == "en"
    assert french["Content-Language"] == "fr"
    english_body, french_body = english.get_content(), french.get_content()
    assert english_body != french_body
    # Babel formats the duration in each reader's locale (force_locale), and links
    # lead to the pages in their language.
    assert "3 days" in english_body
    assert "3\xa0jours" in french_body
    assert "http://congress.test/en/account/confirm/the-token" in english_body
    assert "http://congress.test/fr/account/confirm/the-token" in french_body


def test_an_unknown_language_falls_back_to_english(app):
    with app.test_request_context("/en/"):
        message = _send_confirmation(_user("xx"))
    assert message["Content-Language"] == "en"
    assert "3 days" in message.get_content()


def test_a_rolled_back_change_sends_no_mail(app):
    with app.test_request_context("/en/"):
        _send_confirmation(_user())
        db.session.rollback()
        db.session.commit()
        assert read_outbox() == []
        assert db.session.scalars(select(OutboxMessage)).all() == []


def test_subject_values_fill_the_subject(app):
    with app.test_request_context("/en/"):
        message = send_mail(
            "ana@example.org",
            "en",
            _l("You organise %(congress)s"),
            "password_changed",
            user=_user(),
            subject_values={"congress": "the Third World Congress"},
        )
    assert message["Subject"] == "You organise the Third World Congress"


class FakeSMTP:
    """Records what the mail module asks of an SMTP server."""

    sessions: list[FakeSMTP] = []

    def __init__(self, host, port, timeout):
        self.address = (host, port)
        self.calls: list[tuple] = []
        FakeSMTP.sessions.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.calls.append(("quit",))

    def starttls(self):
        self.calls.append(("starttls",))

    def login(self, user, password):
        self.calls.append(("login", user, password))

    def ehlo_or_helo_if_needed(self):
        pass

    def mail(self, sender):
        self.calls.append(("mail", sender))
        return 250, b"OK"

    def rcpt(self, address):
        self.calls.append(("rcpt", address))
        return 250, b"OK"

    def data(self, raw):
        from email import message_from_bytes

        self.calls.append(("data", message_from_bytes(raw)["Subject"]))
        return 250, b"OK"


def test_with_a_server_mail_goes_over_smtp(app, monkeypatch):
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    FakeSMTP.sessions = []
    app.config.update(
        MAIL_SERVER="smtp.example.org",
        MAIL_PORT=587,
        MAIL_USERNAME="congress",
        MAIL_PASSWORD="secret",
    )
    with app.test_request_context("/en/"):
        _send_confirmation(_user())
        db.session.commit()
        assert read_outbox() == []
    [smtp] = FakeSMTP.sessions
    assert smtp.address == ("smtp.example.org", 587)
    assert smtp.calls == [
        ("starttls",),
        ("login", "congress", "secret"),
        ("mail", "no-reply@localhost"),
        ("rcpt", "ana@example.org"),
        ("data", "Confirm your email address"),
        ("quit",),
    ]


def test_smtp_over_ssl(app, monkeypatch):
    monkeypatch.setattr("smtplib.SMTP_SSL", FakeSMTP)
    FakeSMTP.sessions = []
    app.config.update(MAIL_SERVER="smtp.example.org", MAIL_PORT=465, MAIL_USE_SSL=True)
    with app.test_request_context("/en/"):
        _send_confirmation(_user())
        db.session.commit()
        read_outbox()
    [smtp] = FakeSMTP.sessions
    assert smtp.calls == [
        ("mail", "no-reply@localhost"),
        ("rcpt", "ana@example.org"),
        ("data", "Confirm your email address"),
        ("quit",),
    ]


def test_a_real_smtp_server_on_loopback_gets_the_message_whole(app):
    with SMTPServer() as server:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_USE_TLS=False)
        with app.test_request_context("/en/"):
            queued = _send_confirmation(_user("fr"))
            db.session.commit()
            read_outbox()
            row = db.session.scalars(select(OutboxMessage)).one()
        [received] = server.messages()
    assert received["Message-ID"] == queued["Message-ID"] == row.message_id
    assert received["To"] == "ana@example.org"
    assert received["Subject"] == "Confirmez votre adresse électronique"
    assert "http://congress.test/fr/account/confirm/the-token" in received.get_content()
    assert (row.state, row.attempts, row.last_error) == (MailState.SENT, 1, None)
    assert row.handed_over_at is not None and row.sent_at >= row.handed_over_at


def test_mail_server_comes_from_the_environment(tmp_path, database_url, monkeypatch):
    monkeypatch.setenv("CONGRESS_MAIL_SERVER", "smtp.example.org")
    app = make_app(tmp_path, database_url)
    assert app.config["MAIL_SERVER"] == "smtp.example.org"
