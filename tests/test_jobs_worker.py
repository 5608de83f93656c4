"""``flask --app congress jobs worker`` as a process of its own, killed while it sends.

The web side queues a mail and runs no job itself; the worker process takes it (through
Redis on the PostgreSQL pass, from the outbox table's sweep on SQLite), talks to an SMTP
server on loopback that stops answering at a chosen step, and is killed there (SIGKILL:
no clean-up). A new worker then finishes the work, and the server holds each message once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

from sqlalchemy import select

from congress import PROJECT_ROOT
from congress.accounts.models import User
from congress.extensions import db
from congress.mail import send_mail
from congress.mail.models import MailState, OutboxMessage
from tests.conftest import app_with, sign_in_as
from tests.mail_support import SMTPServer
from tests.test_accounts import make_user

LEASE = 1


def worker_environment(app, smtp_port: int, sweep_seconds: float = 0.2) -> dict[str, str]:
    config = app.config
    env = {
        **os.environ,
        "CONGRESS_DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
        "CONGRESS_INSTANCE_PATH": app.instance_path,
        "CONGRESS_SECRET_KEY": config["SECRET_KEY"],
        "CONGRESS_SCHEMA_CHECK": "false",
        "CONGRESS_SERVER_NAME": config["SERVER_NAME"],
        "CONGRESS_MAIL_SERVER": "127.0.0.1",
        "CONGRESS_MAIL_PORT": str(smtp_port),
        "CONGRESS_MAIL_USE_TLS": "false",
        "CONGRESS_MAIL_LEASE_SECONDS": str(LEASE),
        "CONGRESS_JOBS_SWEEP_SECONDS": str(sweep_seconds),
    }
    if config.get("JOBS_BROKER_URL"):
        env["CONGRESS_JOBS_BROKER_URL"] = config["JOBS_BROKER_URL"]
        env["CONGRESS_JOBS_NAMESPACE"] = config["JOBS_NAMESPACE"]
    return env


@contextmanager
def worker(app, smtp_port: int, log_path, **settings):
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "congress", "jobs", "worker"],
            cwd=PROJECT_ROOT,
            env=worker_environment(app, smtp_port, **settings),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def queue_one(app) -> str:
    user_id = make_user(app, "ana@example.org", name="Ana")
    with app.test_request_context("/en/"):
        message = send_mail(
            "ana@example.org",
            "en",
            "Your password was changed",
            "password_changed",
            user=db.session.get(User, user_id),
        )
        db.session.commit()
        return str(message["Message-ID"])


def row(app) -> OutboxMessage:
    with app.app_context():
        found = db.session.scalars(select(OutboxMessage)).one()
        db.session.expunge_all()
        return found


def wait(condition, what: str, timeout: float = 30.0, log_path=None):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            log = log_path.read_text() if log_path and log_path.exists() else ""
            raise AssertionError(f"{what}: not after {timeout} s\n{log}")
        time.sleep(0.05)
    return value


def test_a_worker_killed_before_the_hand_over_is_replaced_and_the_mail_goes_once(
    tmp_path, database_url
):
    log_path = tmp_path / "worker.log"
    # The web side runs no job: only the worker process sends.
    with app_with(tmp_path, database_url, JOBS_IN_PROCESS=False) as app, SMTPServer() as server:
        server.hang_at = "RCPT"
        message_id = queue_one(app)
        with worker(app, server.port, log_path) as first:
            wait(server.hanging.is_set, "the worker reached RCPT", log_path=log_path)
            taken = row(app)
            assert (taken.state, taken.attempts, taken.handed_over_at) == (
                MailState.SENDING,
                1,
                None,
            )
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        server.release()
        assert server.received == []

        with worker(app, server.port, log_path) as second:
            # Once the dead worker's lease runs out, the new one takes the mail over.
            sent = wait(lambda: row(app).state is MailState.SENT, "sent", log_path=log_path)
            assert sent
            time.sleep(LEASE + 0.5)
            second.send_signal(signal.SIGTERM)
            assert second.wait(timeout=20) == 0
        done = row(app)
        assert (done.state, done.attempts, done.claim) == (MailState.SENT, 2, None)
        assert [m["Message-ID"] for m in server.messages()] == [message_id]
        assert "Jobs worker: stopping after the jobs in hand." in log_path.read_text()


def test_a_worker_killed_after_the_hand_over_leaves_the_mail_uncertain_not_sent_twice(
    tmp_path, database_url
):
    log_path = tmp_path / "worker.log"
    with app_with(tmp_path, database_url, JOBS_IN_PROCESS=False) as app, SMTPServer() as server:
        admin = make_user(app, "admin@example.org", is_admin=True)
        # The server has the whole message and is about to say so when the worker dies.
        server.hang_at = "END"
        message_id = queue_one(app)
        with worker(app, server.port, log_path) as first:
            wait(server.hanging.is_set, "the server got the message", log_path=log_path)
            taken = row(app)
            assert taken.state is MailState.SENDING
            assert taken.handed_over_at is not None
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        server.release()

        with worker(app, server.port, log_path):
            uncertain = wait(
                lambda: (r := row(app)).state is MailState.UNCERTAIN and r,
                "uncertain",
                log_path=log_path,
            )
            # Several sweeps later, it is still not sent again.
            time.sleep(LEASE + 1)
            assert row(app).state is MailState.UNCERTAIN
            assert [m["Message-ID"] for m in server.messages()] == [message_id]
            assert uncertain.attempts == 1
            assert uncertain.last_error == (
                "The sending worker stopped after handing the message to the server."
            )

            # An administrator decides to send it again: it keeps its Message-ID.
            client = app.test_client()
            sign_in_as(client, admin)
            page = client.get("/en/admin/outbox").get_data(as_text=True)
            assert f'id="mail-{uncertain.id}" data-state="uncertain"' in page
            assert "Perhaps sent" in page
            assert client.post(f"/en/admin/outbox/{uncertain.id}/send-again").status_code == 302
            wait(lambda: row(app).state is MailState.SENT, "sent again", log_path=log_path)
        assert [m["Message-ID"] for m in server.messages()] == [message_id, message_id]


def test_the_web_side_hands_its_mail_to_the_worker_process_through_redis(tmp_path, database_url):
    """Production's arrangement: the web app only enqueues, the worker process sends."""
    import uuid

    log_path = tmp_path / "worker.log"
    redis = {
        "JOBS_BROKER_URL": "redis://127.0.0.1:6379/15",
        "JOBS_NAMESPACE": f"congress-test-{uuid.uuid4().hex[:12]}",
        "JOBS_IN_PROCESS": False,
    }
    with app_with(tmp_path, database_url, **redis) as app, SMTPServer() as server:
        # Sweeps only for mail an hour old: this one can come through Redis alone.
        with worker(app, server.port, log_path, sweep_seconds=3600):
            wait(lambda: "Jobs worker: 2 threads" in log_path.read_text(), "the worker started")
            started = time.monotonic()
            message_id = queue_one(app)
            wait(lambda: row(app).state is MailState.SENT, "sent", log_path=log_path)
            took = time.monotonic() - started
        assert [m["Message-ID"] for m in server.messages()] == [message_id]
        assert "on 127.0.0.1:6379/15" in log_path.read_text()
        # From the commit to the server's answer, through Redis and the other process.
        assert took < 10, took
