"""PDFs drawn by a job: the page that says so, its status, one job however many ask, the file."""

from __future__ import annotations

import io
import os
import re
import threading
import time
from pathlib import Path

import pypdf
from sqlalchemy import select

from congress.extensions import db
from congress.jobs import jobs_of
from congress.jobs.models import JobRun, JobState
from congress.participants import pdf as pdf_module
from tests.participants_support import mixed_list, sign_in

URL = "/en/congresses/rio-2008/participants.pdf"


def status_url(page: str) -> str:
    (url,) = re.findall(r'data-status-url="([^"]+)"', page)
    return url


def draw_runs(app) -> list[JobRun]:
    with app.app_context():
        return list(db.session.scalars(select(JobRun).where(JobRun.name == "pdf.draw")))


def held_drawing(monkeypatch) -> threading.Event:
    """Drawing waits until the test lets it go: the job stays pending meanwhile."""
    release = threading.Event()
    original = pdf_module.render_pdf

    def held(*args):
        assert release.wait(30)
        return original(*args)

    monkeypatch.setattr(pdf_module, "render_pdf", held)
    return release


def test_first_request_says_it_is_being_prepared_then_the_address_serves_the_pdf(
    archive, client, monkeypatch
):
    with archive.app_context():
        mixed_list(archive)
    release = held_drawing(monkeypatch)
    first = client.get(URL)
    assert first.status_code == 202
    assert first.mimetype == "text/html"
    assert first.headers["Cache-Control"] == "no-store"
    assert first.headers["Retry-After"] == "2"
    page = first.get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">The PDF is being prepared</h1>' in page
    assert "participants-rio-2008-en.pdf is being drawn." in page
    # The bar our script moves, and the script itself.
    assert re.search(r'<progress id="pdf-progress" max="100" value="(5|1\d)">', page)
    assert '<script type="module" src="/static/js/job-progress.js"></script>' in page
    assert 'data-result-url="/en/congresses/rio-2008/participants.pdf"' in page
    # Without a script: a link to the PDF's own address, which serves it once it exists.
    assert (
        '<a class="govuk-link" id="pdf-refresh" href="/en/congresses/rio-2008/participants.pdf">'
        "Refresh: the PDF opens if it is ready</a>"
    ) in page
    status = status_url(page)
    assert re.fullmatch(r"/en/congresses/rio-2008/participants\.pdf/status/[0-9a-f]{32}", status)
    waiting = client.get(status)
    assert waiting.headers["Cache-Control"] == "no-store"
    assert waiting.json["state"] in ("queued", "running")
    assert waiting.json["url"] == URL
    assert 5 <= waiting.json["percent"] < 100
    # Asked again while the job is pending: the same page, no second job.
    assert client.get(URL).status_code == 202
    release.set()
    jobs_of(archive).join()
    assert client.get(status).json == {"state": "ready", "percent": 100, "url": URL}
    served = client.get(URL)
    assert served.status_code == 200
    assert served.mimetype == "application/pdf"
    disposition = 'inline; filename="participants-rio-2008-en.pdf"'
    assert served.headers["Content-Disposition"] == disposition
    assert served.headers["ETag"] == f'"{status.rsplit("/", 1)[1]}"'
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(served.data)).pages)
    assert "List of participants" in text.replace("\x00", "")
    (run,) = draw_runs(archive)
    assert run.state is JobState.DONE
    assert run.arguments[:3] == ["participants", "rio-2008-en-public", status.rsplit("/", 1)[1]]
    # Nothing but the PDF and the length of its drawing is left in its folder.
    folder = Path(archive.instance_path) / "cache/participants/rio-2008-en-public"
    assert {p.name for p in folder.iterdir()} == {"duration", f"{status.rsplit('/', 1)[1]}.pdf"}


def test_concurrent_requests_send_one_job(archive, monkeypatch):
    with archive.app_context():
        mixed_list(archive)
    release = held_drawing(monkeypatch)
    clients = [archive.test_client() for _ in range(6)]
    start = threading.Barrier(len(clients))
    answers: list[int] = []

    def ask(c):
        start.wait()
        answers.append(c.get(URL).status_code)

    threads = [threading.Thread(target=ask, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert answers == [202] * 6
    release.set()
    jobs_of(archive).join()
    (run,) = draw_runs(archive)
    assert run.state is JobState.DONE
    assert clients[0].get(URL).mimetype == "application/pdf"


def test_a_drawing_that_fails_is_said_once_then_tried_again(archive, client, monkeypatch):
    def broken(*args):
        raise RuntimeError("the printer caught fire")

    monkeypatch.setattr(pdf_module, "render_pdf", broken)
    first = client.get(URL)
    assert first.status_code == 202
    jobs_of(archive).join()
    assert client.get(status_url(first.get_data(as_text=True))).json["state"] == "failed"
    (run,) = draw_runs(archive)
    assert run.state is JobState.FAILED
    assert run.last_error == "RuntimeError: the printer caught fire"
    said = client.get(URL)
    assert said.status_code == 503
    assert "This PDF cannot be made on this server at the moment." in said.get_data(as_text=True)
    monkeypatch.undo()
    assert client.get(URL).status_code == 202
    jobs_of(archive).join()
    assert client.get(URL).mimetype == "application/pdf"
    assert [r.state for r in draw_runs(archive)] == [JobState.FAILED, JobState.DONE]


def test_the_full_lists_status_has_the_pdfs_rule(archive, client):
    with archive.app_context():
        congress = mixed_list(archive)
    digest = "0" * 32
    status = f"/fr/manage/congresses/rio-2008/participants.pdf/status/{digest}"
    assert client.get(status).status_code == 302
    sign_in(client, archive, email="stranger@example.org")
    assert client.get(status).status_code == 404
    sign_in(client, archive, organiser_of=congress, email="organiser@example.org")
    answer = client.get(status)
    assert answer.json == {
        "state": "missing",
        "percent": 0,
        "url": "/fr/manage/congresses/rio-2008/participants.pdf",
    }
    assert answer.headers["Cache-Control"] == "private, no-store"
    first = client.get("/fr/manage/congresses/rio-2008/participants.pdf")
    assert first.status_code == 202
    assert first.headers["Cache-Control"] == "private, no-store"
    assert "/fr/manage/congresses/rio-2008/participants.pdf/status/" in status_url(
        first.get_data(as_text=True)
    )
    jobs_of(archive).join()
    full = client.get("/fr/manage/congresses/rio-2008/participants.pdf")
    assert full.mimetype == "application/pdf"
    # A status address takes only a fingerprint.
    bad = "/en/congresses/rio-2008/participants.pdf/status/..%2F..%2Fsecret_key"
    assert client.get(bad).status_code == 404
    assert client.get("/en/congresses/rio-2008/participants.pdf/status/ABC").status_code == 404


def test_the_country_report_pdf_is_drawn_by_a_job_too(archive, client):
    first = client.get("/fr/countries/BR/report.pdf")
    assert first.status_code == 202
    page = first.get_data(as_text=True)
    assert '<html lang="fr"' in page
    assert "follow-up-BR-fr.pdf" in page
    status = status_url(page)
    assert re.fullmatch(r"/fr/countries/BR/report\.pdf/status/[0-9a-f]{32}", status)
    jobs_of(archive).join()
    assert client.get(status).json == {
        "state": "ready",
        "percent": 100,
        "url": "/fr/countries/BR/report.pdf",
    }
    served = client.get("/fr/countries/BR/report.pdf")
    assert served.mimetype == "application/pdf"
    assert served.headers["Content-Disposition"] == 'inline; filename="follow-up-BR-fr.pdf"'
    assert client.get("/fr/countries/XX/report.pdf/status/" + "0" * 32).status_code == 404


def test_the_report_command_still_draws_the_pdf_itself(archive, tmp_path):
    out = tmp_path / "br.pdf"
    result = archive.test_cli_runner().invoke(
        args=["monitoring", "report", "BR", "--pdf", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    assert draw_runs(archive) == []


def test_a_queue_that_cannot_take_the_job_gives_the_503_page_and_the_next_request_retries(
    archive, client, monkeypatch
):
    from congress.jobs import queue

    def down(self, *args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(queue.Jobs, "send", down)
    refused = client.get(URL)
    assert refused.status_code == 503
    assert "This PDF cannot be made on this server at the moment." in refused.get_data(as_text=True)
    monkeypatch.undo()
    assert client.get(URL).status_code == 202
    jobs_of(archive).join()
    assert client.get(URL).mimetype == "application/pdf"


def test_a_job_lost_long_ago_is_sent_again(archive, client, monkeypatch):
    release = held_drawing(monkeypatch)
    first = client.get(URL)
    digest = status_url(first.get_data(as_text=True)).rsplit("/", 1)[1]
    pending = (
        Path(archive.instance_path) / f"cache/participants/rio-2008-en-public/{digest}.pending"
    )
    assert pending.exists()
    # Still pending within the job's time limit: no second job.
    assert client.get(URL).status_code == 202
    release.set()
    jobs_of(archive).join()
    assert len(draw_runs(archive)) == 1
    monkeypatch.undo()
    # A marker left by a process that died: older than the job's time limit and a minute.
    (pending.parent / f"{digest}.pdf").unlink()
    pending.write_text('{"queued_at": 0, "started_at": null}')
    old = time.time() - archive.config["JOBS_TIME_LIMIT"] - 61
    os.utime(pending, (old, old))
    assert client.get(URL).status_code == 202
    jobs_of(archive).join()
    assert len(draw_runs(archive)) == 2
    assert client.get(URL).mimetype == "application/pdf"
