"""A congress's export from its organisers' pages: confirmed, written by a job, followed by
its progress page, downloadable by the congress's organisers once it exists, audited; and
`flask export --congress`, whose file restores into an empty database."""

from __future__ import annotations

import json
import os
import re
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from congress import backup
from congress.audit.models import AuditEntry
from congress.backup.jobs import sweep_exports
from congress.congresses.models import Congress
from congress.db import LANGUAGES
from congress.demo import DEMO_SLUG
from congress.extensions import db
from congress.jobs import jobs_of
from congress.jobs.models import JobRun, JobState
from congress.registration.models import Category, Delegate, Delegation
from congress.search.models import SearchEntry, SearchKind
from tests import factories
from tests.participants_support import mixed_list, sign_in
from tests.test_backup import close, fill, migrated_app, restore
from tests.test_migrations import empty_database

START = "/en/manage/congresses/rio-2008/export"
DOWNLOAD = re.compile(r"/en/manage/congresses/rio-2008/exports/(\d{8}T\d{6}Z-[0-9a-f]{8})\.json")


def held_export(monkeypatch) -> threading.Event:
    """The export waits until the test lets it go: the job stays running meanwhile."""
    release = threading.Event()
    original = backup.jobs.export_to

    def held(*args):
        assert release.wait(30)
        return original(*args)

    monkeypatch.setattr(backup.jobs, "export_to", held)
    return release


def test_an_organiser_confirms_follows_and_downloads_the_export(archive, client, monkeypatch):
    with archive.app_context():
        congress = mixed_list(archive)
        yokohama = db.session.scalar(select(Congress).where(Congress.slug == "yokohama-2001"))
        factories.delegation(yokohama, category=Category.NGO, organisation_name="Only in Yokohama")
        db.session.commit()
        rio_id = congress.id
    sign_in(client, archive, organiser_of=congress, email="organiser@example.org")
    manage = client.get("/en/manage/congresses/rio-2008/").get_data(as_text=True)
    assert f'href="{START}">Export this congress</a>' in manage

    confirm = client.get(START)
    assert confirm.status_code == 200
    page = confirm.get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Export this congress?</h1>' in page
    assert "The accounts it names are in it without their passwords." in page
    assert ">Start the export</button>" in page
    # A GET starts nothing.
    assert not list((Path(archive.instance_path) / "exports").glob("*/*"))

    release = held_export(monkeypatch)
    started = client.post(START)
    assert started.status_code == 302
    key = DOWNLOAD.fullmatch(started.headers["Location"]).group(1)
    waiting = client.get(started.headers["Location"])
    assert waiting.status_code == 202
    assert waiting.headers["Cache-Control"] == "private, no-store"
    text = waiting.get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">The export is being written</h1>' in text
    assert f"congress-rio-2008-{key}.json is being written." in text
    assert re.search(r'<progress id="export-progress" max="100" value="(5|[1-9]\d)">', text)
    assert (
        f'<a class="govuk-link" id="export-refresh" href="{started.headers["Location"]}">'
        "Refresh: the export downloads if it is ready</a>"
    ) in text
    status = f"/en/manage/congresses/rio-2008/exports/{key}/status"
    assert f'data-status-url="{status}"' in text
    assert client.get(status).json["state"] in ("queued", "running")
    release.set()
    jobs_of(archive).join()

    assert client.get(status).json == {
        "state": "ready",
        "percent": 100,
        "url": started.headers["Location"],
    }
    answer = client.get(started.headers["Location"])
    assert answer.status_code == 200
    assert answer.mimetype == "application/json"
    assert answer.headers["Content-Disposition"] == (
        f"attachment; filename=congress-rio-2008-{key}.json"
    )
    assert answer.headers["Cache-Control"] == "private, no-store"
    document = json.loads(answer.get_data(as_text=True))
    answer.close()
    assert document["format"] == "congress-export"
    with archive.app_context():
        assert [c["slug"] for c in document["tables"]["congresses"]] == ["rio-2008"]
        names = {d["organisation_name"] for d in document["tables"]["delegations"]}
        assert "ECPAT International" in names and "Only in Yokohama" not in names
        assert {d["congress_id"] for d in document["tables"]["delegations"]} == {rio_id}
        assert "outbox_messages" not in document["tables"]
        users = document["tables"]["users"]
        assert "organiser@example.org" in {u["email"] for u in users}
        assert {u["password_hash"] for u in users} == {""}
        # Audited: who exported, which export.
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "congress.export"))
        assert entry.congress_id == rio_id and entry.after == {"export": key}
        assert entry.actor.email == "organiser@example.org"
        (run,) = db.session.scalars(select(JobRun).where(JobRun.name == "backup.export_congress"))
        assert run.state is JobState.DONE and run.congress_id == rio_id
    # Written whole into the instance folder, nothing else left beside it.
    folder = Path(archive.instance_path) / f"exports/congress-{rio_id}"
    assert {p.name for p in folder.iterdir()} == {"duration", f"{key}.json"}
    audit = client.get("/en/manage/congresses/rio-2008/audit").get_data(as_text=True)
    assert "Congress exported" in audit


def as_user(client, user_id: int) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True


def test_only_the_congress_organisers_reach_its_exports(archive, client):
    with archive.app_context():
        congress = mixed_list(archive)
        yokohama = db.session.scalar(select(Congress).where(Congress.slug == "yokohama-2001"))
        db.session.commit()
    assert client.get(START).status_code == 302
    other = sign_in(client, archive, organiser_of=yokohama, email="other@example.org")
    assert client.get(START).status_code == 404
    assert client.post(START).status_code == 404
    organiser = sign_in(client, archive, organiser_of=congress, email="organiser@example.org")
    key = DOWNLOAD.fullmatch(client.post(START).headers["Location"]).group(1)
    jobs_of(archive).join()
    url = f"/en/manage/congresses/rio-2008/exports/{key}.json"
    downloaded = client.get(url)
    assert downloaded.status_code == 200
    downloaded.close()
    as_user(client, other)
    assert client.get(url).status_code == 404
    assert client.get(f"/en/manage/congresses/rio-2008/exports/{key}/status").status_code == 404
    # The same export asked of another congress's address is not there.
    assert client.get(f"/en/manage/congresses/yokohama-2001/exports/{key}.json").status_code == 404
    # Only a key's form is an export's address; an export never started is not found.
    as_user(client, organiser)
    assert client.get("/en/manage/congresses/rio-2008/exports/..%2Fsecret.json").status_code == 404
    never = "/en/manage/congresses/rio-2008/exports/20260101T000000Z-00000000.json"
    assert client.get(never).status_code == 404


def test_the_sweep_deletes_an_export_a_day_after_it_was_written(archive, client):
    with archive.app_context():
        congress = mixed_list(archive)
        db.session.commit()
        rio_id = congress.id
    sign_in(client, archive, organiser_of=congress, email="organiser@example.org")
    keys = [DOWNLOAD.fullmatch(client.post(START).headers["Location"]).group(1) for _ in "ab"]
    jobs_of(archive).join()
    folder = Path(archive.instance_path) / f"exports/congress-{rio_id}"
    old, new = (folder / f"{key}.json" for key in keys)
    # The first written 24 hours and a minute ago, the second 23 hours and 59 minutes ago.
    now = time.time()
    os.utime(old, (now - 24 * 3600 - 60,) * 2)
    os.utime(new, (now - 24 * 3600 + 60,) * 2)
    with archive.app_context():
        sweep_exports()
    assert {p.name for p in folder.iterdir()} == {"duration", new.name}
    gone = client.get(f"/en/manage/congresses/rio-2008/exports/{keys[0]}.json")
    assert gone.status_code == 404
    assert gone.headers["Cache-Control"] == "private, no-store"
    assert (
        "This export is no longer kept: an export holds personal data and is deleted 24 hours "
        "after it is written. Start a new one from the congress&#39;s page."
    ) in gone.get_data(as_text=True)
    assert f'<a class="govuk-link" href="{START}">Export this congress</a>' in gone.get_data(
        as_text=True
    )
    kept = client.get(f"/en/manage/congresses/rio-2008/exports/{keys[1]}.json")
    assert kept.status_code == 200
    kept.close()
    # In the organiser's language.
    french = client.get(f"/fr/manage/congresses/rio-2008/exports/{keys[0]}.json")
    assert "24 heures" in french.get_data(as_text=True)


def test_a_failed_export_says_so_once_and_leaves_no_file(archive, client, monkeypatch):
    with archive.app_context():
        congress = mixed_list(archive)
    sign_in(client, archive, organiser_of=congress, email="organiser@example.org")

    def broken(path, congress_id):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup.jobs, "export_to", broken)
    url = client.post(START).headers["Location"]
    jobs_of(archive).join()
    key = DOWNLOAD.fullmatch(url).group(1)
    status = client.get(f"/en/manage/congresses/rio-2008/exports/{key}/status")
    assert status.json["state"] == "failed"
    failed = client.get(url)
    assert failed.status_code == 503
    assert "The export could not be written. Start it again in a moment." in failed.get_data(
        as_text=True
    )
    with archive.app_context():
        (run,) = db.session.scalars(select(JobRun).where(JobRun.name == "backup.export_congress"))
        assert run.state is JobState.FAILED
        assert run.last_error == "OSError: [Errno 28] No space left on device"


def test_a_congress_export_restores_into_an_empty_database(tmp_path, database_url):
    with (
        empty_database(database_url, tmp_path / "a") as source_url,
        empty_database(database_url, tmp_path / "b") as target_url,
    ):
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        source = migrated_app(tmp_path, source_url, "source")
        fill(source)
        path = tmp_path / "rio.json"
        runner = source.test_cli_runner()
        result = runner.invoke(args=["export", str(path), "--congress", DEMO_SLUG])
        assert result.exit_code == 0, result.output
        missing = runner.invoke(args=["export", str(tmp_path / "x.json"), "--congress", "nowhere"])
        assert missing.exit_code == 1
        assert "There is no congress 'nowhere'." in missing.output
        with source.app_context():
            rio = db.session.scalar(select(Congress).where(Congress.slug == DEMO_SLUG))
            delegations = sorted(
                db.session.scalars(select(Delegation.id).where(Delegation.congress_id == rio.id))
            )
            close()
        document = json.loads(path.read_text())
        assert [c["slug"] for c in document["tables"]["congresses"]] == [DEMO_SLUG]
        assert len(delegations) == 6
        assert sorted(d["id"] for d in document["tables"]["delegations"]) == delegations
        target = migrated_app(tmp_path, target_url, "target")
        restored = restore(target, path)
        assert restored.exit_code == 0, restored.output
        with target.app_context():
            assert [c.slug for c in db.session.scalars(select(Congress))] == [DEMO_SLUG]
            assert sorted(db.session.scalars(select(Delegation.id))) == delegations
            assert db.session.scalar(select(func.count()).select_from(Delegate)) == len(
                document["tables"]["delegates"]
            )
            # The search index, left out of the file, is rebuilt from the rows.
            assert db.session.scalar(
                select(func.count())
                .select_from(SearchEntry)
                .where(SearchEntry.kind == SearchKind.CONGRESS)
            ) == len(LANGUAGES)
            close()


def test_an_export_that_cannot_be_queued_says_so_and_records_nothing(archive, client, monkeypatch):
    with archive.app_context():
        congress = mixed_list(archive)
        db.session.commit()
    sign_in(client, archive, organiser_of=congress, email="organiser@example.org")

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is not answering")

    monkeypatch.setattr("congress.jobs.progress.enqueue", broker_down)
    answer = client.post(START)
    assert answer.status_code == 503
    assert answer.headers["Cache-Control"] == "private, no-store"
    assert "The export could not be written. Start it again in a moment." in answer.get_data(
        as_text=True
    )
    with archive.app_context():
        assert not db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "congress.export")
        ).all()
    # No marker left behind: the next try sends the job.
    assert not list((Path(archive.instance_path) / "exports").glob("*/*.pending"))
    monkeypatch.undo()
    assert client.post(START).status_code == 302
