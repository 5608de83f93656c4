"""A congress's search index rebuilt by a job from its organisers' pages: confirmed, audited,
followed on the shared progress page, and said when done."""

from __future__ import annotations

import re
import threading

from sqlalchemy import delete, func, select

from congress.audit.models import AuditEntry
from congress.db import LANGUAGES
from congress.extensions import db
from congress.jobs import jobs_of
from congress.jobs.models import JobRun, JobState
from congress.search import rebuilds
from congress.search.models import SearchEntry, SearchKind
from tests.participants_support import mixed_list, sign_in

START = "/en/manage/congresses/rio-2008/search-index"
PROGRESS = re.compile(r"/en/manage/congresses/rio-2008/search-index/(\d{8}T\d{6}Z-[0-9a-f]{8})")


def delegation_rows(congress_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(SearchEntry)
        .where(SearchEntry.congress_id == congress_id, SearchEntry.kind == SearchKind.DELEGATION)
    )


def test_an_organiser_rebuilds_the_index_and_follows_it(archive, client, monkeypatch):
    with archive.app_context():
        congress = mixed_list(archive)
        db.session.commit()
        rio_id = congress.id
        accredited = delegation_rows(rio_id)
        # Rows written around the ORM leave the index behind them.
        db.session.execute(
            delete(SearchEntry).where(
                SearchEntry.congress_id == rio_id, SearchEntry.kind == SearchKind.DELEGATION
            )
        )
        db.session.commit()
    assert accredited == 17 * len(LANGUAGES)
    sign_in(client, archive, organiser_of=congress, email="organiser@example.org")
    manage = client.get("/en/manage/congresses/rio-2008/").get_data(as_text=True)
    assert f'href="{START}">Rebuild the search index</a>' in manage
    page = client.get(START).get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Rebuild the search index of this congress?</h1>' in page
    assert ">Rebuild the search index</button>" in page

    release = threading.Event()
    original = rebuilds.index.rebuild

    def held(*args):
        assert release.wait(30)
        return original(*args)

    monkeypatch.setattr(rebuilds.index, "rebuild", held)
    started = client.post(START)
    assert started.status_code == 302
    url = started.headers["Location"]
    key = PROGRESS.fullmatch(url).group(1)
    waiting = client.get(url)
    assert waiting.status_code == 202
    text = waiting.get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">The search index is being rebuilt</h1>' in text
    assert (
        "The index of Third World Congress against Sexual Exploitation of Children and "
        "Adolescents is being recomputed." in text
    )
    assert re.search(r'<progress id="rebuild-progress" max="100" value="(5|[1-9]\d)">', text)
    assert (
        f'<a class="govuk-link" id="rebuild-refresh" href="{url}">'
        "Refresh: this page says when it is done</a>"
    ) in text
    status = client.get(f"{url}/status")
    assert status.json["state"] in ("queued", "running")
    assert status.json["url"] == url
    release.set()
    jobs_of(archive).join()

    assert client.get(f"{url}/status").json == {"state": "ready", "percent": 100, "url": url}
    done = client.get(url)
    assert done.status_code == 200
    body = done.get_data(as_text=True)
    assert '<h1 class="govuk-panel__title">The search index is rebuilt</h1>' in body
    assert f"{accredited} rows of the index were written or removed." in body
    with archive.app_context():
        assert delegation_rows(rio_id) == accredited
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "search.rebuild"))
        assert (entry.congress_id, entry.after) == (rio_id, {"rebuild": key})
        assert entry.actor.email == "organiser@example.org"
        (run,) = db.session.scalars(select(JobRun).where(JobRun.name == "search.rebuild_congress"))
        assert run.state is JobState.DONE
    # Once more: the index matches, and the page says so.
    again = client.post(START).headers["Location"]
    jobs_of(archive).join()
    assert (
        "0 rows of the index were written or removed. It already matched the congress."
        in client.get(again).get_data(as_text=True)
    )
    audit = client.get("/en/manage/congresses/rio-2008/audit").get_data(as_text=True)
    assert "Search index rebuilt" in audit


def test_only_organisers_rebuild_and_a_failure_is_said(archive, client, monkeypatch):
    with archive.app_context():
        congress = mixed_list(archive)
        db.session.commit()
    assert client.get(START).status_code == 302
    sign_in(client, archive, email="stranger@example.org")
    assert client.get(START).status_code == 404
    assert client.post(START).status_code == 404
    sign_in(client, archive, organiser_of=congress, email="organiser@example.org")

    def broken(*args):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(rebuilds.index, "rebuild", broken)
    url = client.post(START).headers["Location"]
    jobs_of(archive).join()
    assert client.get(f"{url}/status").json["state"] == "failed"
    failed = client.get(url)
    assert failed.status_code == 503
    assert "The search index could not be rebuilt. Start it again in a moment." in (
        failed.get_data(as_text=True)
    )
    base = "/en/manage/congresses/rio-2008/search-index"
    assert client.get(f"{base}/20260101T000000Z-00000000").status_code == 404
    assert client.get(f"{base}/not-a-key/status").status_code == 404


def test_a_rebuild_that_cannot_be_queued_says_so_and_records_nothing(archive, client, monkeypatch):
    with archive.app_context():
        congress = mixed_list(archive)
        db.session.commit()
    sign_in(client, archive, organiser_of=congress, email="organiser@example.org")

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is not answering")

    monkeypatch.setattr("congress.jobs.progress.enqueue", broker_down)
    answer = client.post(START)
    assert answer.status_code == 503
    assert "The search index could not be rebuilt. Start it again in a moment." in (
        answer.get_data(as_text=True)
    )
    with archive.app_context():
        assert not db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "search.rebuild")
        ).all()
