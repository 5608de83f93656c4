"""The job queue for real: in the in-process pool (SQLite pass) or through Redis to a
Dramatiq worker (PostgreSQL pass, CONGRESS_TEST_JOBS_BROKER_URL). A job runs outside the
request's thread, after the commit that asked for it, is retried after a failure, and once
its tries are spent is recorded as failed with its error, which its organisers see."""

from __future__ import annotations

import threading
import time

from flask_babel import force_locale, gettext
from sqlalchemy import select

from congress import jobs
from congress.extensions import db
from congress.jobs.models import JobRun, JobState
from tests import factories
from tests.conftest import TEST_JOBS_BROKER_URL, app_with, sign_in_as

RAN: list[tuple[str, tuple, str]] = []
FAILURES: dict[str, int] = {}


@jobs.job("tests.record")
def record(*args):
    RAN.append(("record", args, threading.current_thread().name))


@jobs.job("tests.always_fails")
def always_fails(reason):
    raise RuntimeError(reason)


@jobs.job("tests.fails_once")
def fails_once(key):
    FAILURES[key] = FAILURES.get(key, 0) + 1
    if FAILURES[key] == 1:
        raise ConnectionError("the archive server did not answer")
    RAN.append(("fails_once", (key,), threading.current_thread().name))


FAST = {"JOBS_MAX_RETRIES": 2, "JOBS_MIN_BACKOFF": 0.01, "JOBS_MAX_BACKOFF": 0.05}


def runs(app, until, timeout: float = 20.0) -> list[JobRun]:
    deadline = time.monotonic() + timeout
    while True:
        with app.app_context():
            found = db.session.scalars(select(JobRun).order_by(JobRun.id)).all()
            db.session.expunge_all()
        if found and until(found):
            return found
        assert time.monotonic() < deadline, [(r.name, r.state, r.attempts) for r in found]
        time.sleep(0.05)


def test_the_queue_under_test_is_the_one_this_pass_names(app):
    queue = jobs.jobs_of(app)
    if TEST_JOBS_BROKER_URL:
        from dramatiq.brokers.redis import RedisBroker

        assert isinstance(queue.broker, RedisBroker)
        assert queue.url == TEST_JOBS_BROKER_URL
    else:
        from dramatiq.brokers.stub import StubBroker

        assert isinstance(queue.broker, StubBroker)
        assert queue.url is None
    assert queue.in_process is True


def test_a_job_runs_after_the_commit_in_a_worker_thread(app):
    RAN.clear()
    with app.app_context():
        jobs.enqueue_after_commit("tests.record", "committed", 1)
        # Not before the commit.
        time.sleep(0.2)
        assert RAN == []
        db.session.commit()
        jobs.join()
        jobs.enqueue_after_commit("tests.record", "rolled back", 2)
        db.session.rollback()
        db.session.commit()
        jobs.join()
    [(name, args, thread)] = RAN
    assert (name, args) == ("record", ("committed", 1))
    assert thread != threading.current_thread().name
    [run] = runs(app, lambda found: found[0].state is JobState.DONE)
    assert (run.name, run.arguments, run.attempts, run.last_error) == (
        "tests.record",
        ["committed", 1],
        1,
        None,
    )
    assert run.queued_at <= run.started_at <= run.finished_at


def test_a_job_that_fails_once_is_retried_and_done(tmp_path, database_url):
    RAN.clear()
    with app_with(tmp_path, database_url, **FAST) as app:
        with app.app_context():
            jobs.enqueue("tests.fails_once", "k1")
        [run] = runs(app, lambda found: found[0].state is JobState.DONE)
    assert run.attempts == 2
    assert run.last_error == "ConnectionError: the archive server did not answer"
    assert [r[:2] for r in RAN] == [("fails_once", ("k1",))]


def test_a_job_whose_tries_are_spent_is_failed_with_its_error_for_its_organisers(
    tmp_path, database_url
):
    with app_with(tmp_path, database_url, **FAST) as app:
        with app.app_context():
            congress = factories.congress(slug="yokohama-test")
            other = factories.congress(slug="other-test")
            organiser = factories.user("org@example.org", organises=(congress,))
            stranger = factories.user("other@example.org", organises=(other,))
            db.session.commit()
            ids = congress.id, organiser.id, stranger.id
            jobs.enqueue("tests.always_fails", "the index is locked", congress_id=ids[0])
        [run] = runs(app, lambda found: found[0].state is JobState.FAILED)
        # One try and the two retries JOBS_MAX_RETRIES allows.
        assert run.attempts == 3
        assert run.last_error == "RuntimeError: the index is locked"
        assert run.congress_id == ids[0]
        assert run.finished_at is not None

        client = app.test_client()
        sign_in_as(client, ids[1])
        page = client.get("/fr/manage/congresses/yokohama-test/outbox").get_data(as_text=True)
        assert f'id="job-{run.id}" data-state="failed"' in page
        assert "RuntimeError: the index is locked" in page
        with app.test_request_context("/fr/"), force_locale("fr"):
            assert gettext("Failed") in page
        sign_in_as(client, ids[2])
        page = client.get("/fr/manage/congresses/other-test/outbox").get_data(as_text=True)
        assert "the index is locked" not in page
