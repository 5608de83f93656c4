"""The outbox under faults: a mail server that refuses, an outbox folder that cannot be
written or is full. The page answers, the account or the move is saved, the mail waits in
the outbox with its error, and goes out once, later, when the fault is gone."""

from __future__ import annotations

import errno
import time
from pathlib import Path

from flask_babel import force_locale, gettext
from sqlalchemy import select

from congress.extensions import db
from congress.jobs.models import JobRun, JobState
from congress.mail import outbox_path, read_outbox
from congress.mail.models import MailState, OutboxMessage
from congress.registration import operations
from congress.registration.rules import Status
from tests import factories
from tests.conftest import app_with, sign_in_as
from tests.mail_support import SMTPServer, closed_port
from tests.test_accounts import PASSWORD, link_in, make_user, sign_up

FAST_RETRIES = {"MAIL_RETRY_SECONDS": 0.3}


def smtp_settings(port: int) -> dict:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False}


def rows(app) -> list[OutboxMessage]:
    with app.app_context():
        found = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return found


def wait_for(app, predicate, timeout: float = 20.0) -> list[OutboxMessage]:
    """The outbox's rows once ``predicate(rows)`` holds (the queue works in other threads)."""
    deadline = time.monotonic() + timeout
    while True:
        found = rows(app)
        if found and predicate(found):
            return found
        assert time.monotonic() < deadline, [(r.state, r.attempts, r.last_error) for r in found]
        time.sleep(0.05)


def job_runs(app, until, timeout: float = 20.0) -> list[JobRun]:
    """The recorded jobs once ``until(runs)`` holds (a run is recorded after its job ends)."""
    deadline = time.monotonic() + timeout
    while True:
        with app.app_context():
            runs = db.session.scalars(select(JobRun).order_by(JobRun.id)).all()
            db.session.expunge_all()
        if runs and until(runs):
            return runs
        assert time.monotonic() < deadline, [(r.state, r.attempts, r.last_error) for r in runs]
        time.sleep(0.05)


def tried(found) -> bool:
    """Every mail was tried and is waiting for its next try (or failed), with its error."""
    return all(
        r.attempts >= 1 and r.state in (MailState.QUEUED, MailState.FAILED) and r.last_error
        for r in found
    )


def translated(app, lang: str, msgid: str) -> str:
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        return gettext(msgid)


def test_sign_up_with_the_mail_server_down_saves_the_account_and_sends_later(
    tmp_path, database_url
):
    port = closed_port()
    with app_with(tmp_path, database_url, **smtp_settings(port), **FAST_RETRIES) as app:
        client = app.test_client()
        response = sign_up(client)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "We have sent a message to ana@example.org." in page
        assert 'href="/en/account/resend-confirmation?email=ana@example.org"' in page
        assert "Send the message again" in page

        # The first try was refused: the mail waits with its error and the time of the next.
        [row] = wait_for(app, tried)
        assert row.recipient == "ana@example.org"
        assert row.subject == "Confirm your email address"
        assert row.state is MailState.QUEUED
        assert row.last_error.startswith("ConnectionRefusedError: ")
        with app.app_context():
            assert db.session.scalar(select(JobRun.name)) == "mail.send"

        # The server comes back: the next try sends it, once.
        with SMTPServer() as server:
            app.config["MAIL_PORT"] = server.port
            [row] = wait_for(app, lambda found: found[0].state is MailState.SENT)
            time.sleep(0.5)
            [mail] = server.messages()
        assert mail["Message-ID"] == row.message_id
        assert row.attempts >= 2
        [run] = job_runs(app, lambda runs: runs[0].state is JobState.DONE)
        assert run.attempts == row.attempts
        assert run.last_error.startswith("ConnectionRefusedError: ")

        # The link in it confirms the account, which was there all along.
        response = client.get(link_in(mail, "/en/account/confirm/"))
        assert response.status_code == 302
        assert "/en/account/sign-in" in response.headers["Location"]


def test_send_again_asks_for_a_new_confirmation_while_the_first_waits(tmp_path, database_url):
    with app_with(tmp_path, database_url, **smtp_settings(closed_port())) as app:
        client = app.test_client()
        sign_up(client, lang="fr")
        response = client.post("/fr/account/resend-confirmation", data={"email": "ana@example.org"})
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert translated(app, "fr", "Send the message again") in page
        found = wait_for(app, tried)
        assert [(r.recipient, r.language, r.template) for r in found] == [
            ("ana@example.org", "fr", "confirm_email"),
            ("ana@example.org", "fr", "confirm_email"),
        ]


def test_password_reset_with_the_outbox_folder_unwritable(tmp_path, database_url):
    with app_with(tmp_path, database_url, **FAST_RETRIES) as app:
        make_user(app, "ana@example.org")
        # A file where the folder should be: no .eml can be written there (as a read-only
        # or missing mount would), whatever the process's rights.
        with app.app_context():
            blocked = outbox_path()
        blocked.parent.mkdir(parents=True, exist_ok=True)
        blocked.write_text("not a folder")

        client = app.test_client()
        response = client.post("/en/account/reset", data={"email": "ana@example.org"})
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "we have sent it a link to choose a new password" in page
        assert 'href="/en/account/reset"' in page

        [row] = wait_for(app, tried)
        assert row.subject == "Choose a new password"
        assert row.last_error.startswith(("FileExistsError: ", "NotADirectoryError: "))

        blocked.unlink()
        [row] = wait_for(app, lambda found: found[0].state is MailState.SENT)
        with app.app_context():
            [mail] = read_outbox()
        assert mail["Message-ID"] == row.message_id
        path = link_in(mail, "/en/account/reset/")
        response = client.post(
            path, data={"password": PASSWORD + "!", "password_again": PASSWORD + "!"}
        )
        assert response.status_code == 302


def test_a_full_disk_leaves_no_partial_file_and_the_mail_goes_later(
    tmp_path, database_url, monkeypatch
):
    import congress.mail.outbox as outbox_module

    real_fsync = outbox_module.os.fsync
    failures = []

    def full_once(fd):
        if not failures:
            failures.append(fd)
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(outbox_module.os, "fsync", full_once)
    with app_with(tmp_path, database_url, **FAST_RETRIES) as app:
        client = app.test_client()
        assert sign_up(client).status_code == 200
        [row] = wait_for(app, tried)
        assert row.last_error == "OSError: [Errno 28] No space left on device"
        folder = Path(app.instance_path) / "outbox"
        # Nothing half-written stays behind: no .eml, no temporary file.
        assert sorted(p.name for p in folder.iterdir()) == []
        [row] = wait_for(app, lambda found: found[0].state is MailState.SENT)
        assert sorted(p.name for p in folder.iterdir()) == [f"{row.id:012d}-{row.key}.eml"]
        assert row.attempts == 2


def test_a_server_that_refuses_for_good_fails_at_once(tmp_path, database_url):
    with SMTPServer() as server:
        server.refuse_data_with = b"554 5.7.1 Message rejected"
        with app_with(tmp_path, database_url, **smtp_settings(server.port)) as app:
            sign_up(app.test_client())
            [row] = wait_for(app, lambda found: found[0].state is MailState.FAILED)
            assert row.attempts == 1
            assert row.last_error == "SMTPDataError: (554, b'5.7.1 Message rejected')"
            assert row.handed_over_at is None
            [run] = job_runs(app, lambda runs: runs[0].state is JobState.FAILED)
            assert run.attempts == 1
            assert run.last_error.startswith("MailGaveUp: SMTPDataError")
    assert server.received == []


def test_a_connection_cut_during_data_leaves_the_mail_uncertain_and_not_sent_twice(
    tmp_path, database_url
):
    with SMTPServer() as server:
        server.cut_after_data = True
        settings = smtp_settings(server.port) | {"MAIL_RETRY_SECONDS": 0.05}
        with app_with(tmp_path, database_url, **settings) as app:
            sign_up(app.test_client())
            [row] = wait_for(app, lambda found: found[0].state is MailState.UNCERTAIN)
            # Well past the pauses a retry would have taken.
            time.sleep(0.5)
            [row] = rows(app)
            assert (row.state, row.attempts) == (MailState.UNCERTAIN, 1)
            assert row.last_error.startswith("SMTPServerDisconnected: ")
            assert row.handed_over_at is not None
            [run] = job_runs(app, lambda runs: runs[0].state is JobState.FAILED)
            assert run.last_error.startswith("MailGaveUp: SMTPServerDisconnected")
    assert len(server.received) == 1


def test_after_its_last_try_a_mail_is_failed_and_an_administrator_may_send_it_again(
    tmp_path, database_url
):
    settings = smtp_settings(closed_port()) | {"MAIL_RETRY_SECONDS": 0.05, "MAIL_MAX_ATTEMPTS": 3}
    with app_with(tmp_path, database_url, **settings) as app:
        admin = make_user(app, "admin@example.org", is_admin=True)
        sign_up(app.test_client())
        [row] = wait_for(app, lambda found: found[0].state is MailState.FAILED)
        assert row.attempts == 3
        assert row.last_error.startswith("ConnectionRefusedError: ")

        client = app.test_client()
        sign_in_as(client, admin)
        page = client.get("/en/admin/outbox").get_data(as_text=True)
        assert f'id="mail-{row.id}" data-state="failed"' in page
        assert f'action="/en/admin/outbox/{row.id}/send-again"' in page

        with SMTPServer() as server:
            app.config["MAIL_PORT"] = server.port
            response = client.post(f"/en/admin/outbox/{row.id}/send-again")
            assert response.status_code == 302
            [row] = wait_for(app, lambda found: found[0].state is MailState.SENT)
            [mail] = server.messages()
        assert mail["Message-ID"] == row.message_id
        assert row.attempts == 4
        # A mail that is sent is not sent again.
        response = client.post(f"/en/admin/outbox/{row.id}/send-again", follow_redirects=True)
        assert "This mail is not failed: it is not sent again." in response.get_data(as_text=True)


def test_accreditation_with_the_mail_server_down_stands_and_its_organisers_see_the_mails(
    tmp_path, database_url
):
    with app_with(tmp_path, database_url, **smtp_settings(closed_port())) as app:
        with app.test_request_context("/en/"):
            congress = factories.congress(slug="rio-2008-test")
            other = factories.congress(slug="other-congress")
            organiser = factories.user("org@example.org", organises=(congress,))
            stranger = factories.user("other@example.org", organises=(other,))
            focal_point = factories.user("fp@example.org", language="fr")
            delegation = factories.delegation(
                congress, focal_point=focal_point, country_code="BR", status=Status.SUBMITTED
            )
            factories.delegate(delegation, email="ana@gov.br", preferred_language="pt")
            db.session.commit()
            outcome = operations.transition(delegation, Status.ACCREDITED, organiser)
            assert outcome.step.to_status is Status.ACCREDITED
            ids = organiser.id, stranger.id, congress.id

        found = wait_for(app, lambda found: len(found) == 2 and tried(found))
        assert [(r.recipient, r.language, r.congress_id) for r in found] == [
            ("fp@example.org", "fr", ids[2]),
            ("ana@gov.br", "pt", ids[2]),
        ]

        client = app.test_client()
        sign_in_as(client, ids[0])
        page = client.get("/fr/manage/congresses/rio-2008-test/outbox").get_data(as_text=True)
        assert translated(app, "fr", "Outbox and jobs") in page
        assert page.index("ana@gov.br") < page.index("fp@example.org")
        assert page.count("ConnectionRefusedError: ") >= 2
        for row in found:
            assert f'id="mail-{row.id}" data-state="{row.state.value}"' in page
        assert page.count(translated(app, "fr", "Waiting to be sent")) == 2
        # An organiser of another congress sees none of them.
        sign_in_as(client, ids[1])
        page = client.get("/fr/manage/congresses/other-congress/outbox").get_data(as_text=True)
        assert "ana@gov.br" not in page
        assert translated(app, "fr", "No mail yet.") in page
        assert client.get("/fr/manage/congresses/rio-2008-test/outbox").status_code == 404


def test_a_backup_carries_the_outbox_and_the_jobs_and_restores_them(tmp_path, database_url):
    from tests.test_backup import every_row, export, migrated_app, restore
    from tests.test_migrations import empty_database

    with (
        empty_database(database_url, tmp_path / "a") as source_url,
        empty_database(database_url, tmp_path / "b") as target_url,
    ):
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        source = migrated_app(tmp_path, source_url, "source")
        try:
            sign_up(source.test_client(), lang="pt")
            [row] = wait_for(source, lambda found: found[0].state is MailState.SENT)
            job_runs(source, lambda runs: runs[0].state is JobState.DONE)
            document = export(source, tmp_path / "export.json")
            [mail] = document["tables"]["outbox_messages"]
            assert (mail["recipient"], mail["language"], mail["state"]) == (
                "ana@example.org",
                "pt",
                "sent",
            )
            assert "Content-Language: pt" in mail["raw"]
            [run] = document["tables"]["job_runs"]
            assert (run["name"], run["arguments"], run["state"]) == (
                "mail.send",
                [mail["key"]],
                "done",
            )
            target = migrated_app(tmp_path, target_url, "target")
            try:
                result = restore(target, tmp_path / "export.json")
                assert result.exit_code == 0, result.output
                before, after = every_row(source), every_row(target)
                assert after["outbox_messages"] == before["outbox_messages"]
                assert after["job_runs"] == before["job_runs"]
            finally:
                stop(target)
        finally:
            stop(source)


def stop(app) -> None:
    """Stop an app's worker threads and give back its connections (its database is dropped)."""
    from congress.jobs import jobs_of

    jobs_of(app).close()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
