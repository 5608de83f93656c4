"""The cache of built feeds: files shared by every worker, once per change, never stale."""

from __future__ import annotations

import gzip
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from congress.cache import FileCache, NoCache, cache, cache_for
from congress.calendar import views
from congress.demo import DemoSize, build_demo
from congress.extensions import db
from congress.programme.models import Session
from tests.conftest import app_with, close_database, make_app

FEED = "/congresses/demo/calendar.ics"
KEY = "feed:" + "ab" * 16


def test_an_entry_is_kept_in_both_encodings_and_found_again(tmp_path):
    store = FileCache(tmp_path / "cache", max_bytes=1000)
    assert store.find(KEY, gzipped=False) is None
    assert store.keep(KEY, b"plain", b"zipped")
    assert store.find(KEY, gzipped=False).read_bytes() == b"plain"
    assert store.find(KEY, gzipped=True).read_bytes() == b"zipped"
    # Written whole and renamed: no temporary file is left behind.
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [
        "feed-" + "ab" * 16,
        "feed-" + "ab" * 16 + ".gz",
    ]
    # A key becomes a file's name: nothing else is taken for one.
    with pytest.raises(ValueError, match="not a cache key"):
        store.find("feed:../../etc/passwd", gzipped=False)


def test_the_oldest_entries_go_beyond_the_limit(tmp_path):
    store = FileCache(tmp_path, max_bytes=26)
    keys = [f"feed:{digit * 32}" for digit in "123"]
    for age, key in enumerate(keys):
        assert store.keep(key, b"x" * 6, b"y" * 4)
        # Older first: each entry's files dated a minute after the last one's.
        for gzipped in (False, True):
            path = store.path(key, gzipped=gzipped)
            os.utime(path, (1_000_000 + 60 * age, 1_000_000 + 60 * age))
    # 30 bytes written, 26 allowed: the oldest file went when the third entry came.
    kept = [
        (key, gzipped)
        for key in keys
        for gzipped in (False, True)
        if store.find(key, gzipped=gzipped)
    ]
    assert kept == [
        (keys[0], True),
        (keys[1], False),
        (keys[1], True),
        (keys[2], False),
        (keys[2], True),
    ]


def test_cache_named_by_the_configuration(tmp_path):
    assert cache_for("file://", str(tmp_path), 100).directory == tmp_path / "cache" / "feeds"
    assert cache_for(f"file://{tmp_path}/feeds", "/elsewhere", 100).directory == tmp_path / "feeds"
    assert isinstance(cache_for("none://", str(tmp_path), 100), NoCache)
    with pytest.raises(ValueError, match="no cache for 'redis://x'"):
        cache_for("redis://x", str(tmp_path), 100)


def _demo(app) -> None:
    with app.app_context():
        build_demo(DemoSize(delegations=2, delegates=4, sessions=6, rooms=2, days=2))


def _count_builds(monkeypatch) -> list[int]:
    built = []
    build = views.build_calendar

    def counting(*args, **kwargs):
        built.append(1)
        return build(*args, **kwargs)

    monkeypatch.setattr(views, "build_calendar", counting)
    return built


def _rename_first_session(app, title: str) -> None:
    """What an organiser's edit does to the feed's inputs: new text, a newer change."""
    with app.app_context():
        session = db.session.scalars(select(Session).order_by(Session.starts_at)).first()
        session.title = {**session.title, "en": title}
        session.updated_at = datetime.now(UTC) + timedelta(seconds=1)
        db.session.commit()


def test_feed_is_built_once_per_change(app, client, monkeypatch):
    _demo(app)
    built = _count_builds(monkeypatch)
    first = client.get(FEED)
    again = client.get(FEED)
    assert first.status_code == again.status_code == 200
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert len(built) == 1
    # Another language is another feed.
    assert b"LANGUAGE=fr" in client.get(FEED + "?lang=fr").data
    assert len(built) == 2

    _rename_first_session(app, "Renamed after publication")
    changed = client.get(FEED)
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert b"SUMMARY;LANGUAGE=en:Renamed after publication" in changed.data
    assert len(built) == 3


def test_no_cache_builds_every_time(tmp_path, database_url, monkeypatch):
    with app_with(tmp_path, database_url, CACHE_STORAGE_URI="none://") as app:
        _demo(app)
        built = _count_builds(monkeypatch)
        client = app.test_client()
        assert client.get(FEED).data == client.get(FEED).data
        assert len(built) == 2


def test_workers_share_the_feeds_kept_in_the_folder(tmp_path, database_url, monkeypatch):
    """Two applications on one database and one folder: two workers behind one address.

    The second serves the first's file without building; so does a worker that
    starts afresh after gunicorn recycled the first.
    """
    folder = tmp_path / "shared-cache"
    config = {"CACHE_STORAGE_URI": f"file://{folder}"}
    shared = database_url or f"sqlite:///{tmp_path}/shared.sqlite3"
    one = make_app(tmp_path / "one", shared, **config)
    other = make_app(tmp_path / "other", shared, **config)
    recycled = make_app(tmp_path / "recycled", shared, **config)
    with one.app_context():
        if database_url is None:
            db.create_all()
    try:
        _demo(one)
        built = _count_builds(monkeypatch)
        first = one.test_client().get(FEED)
        assert first.status_code == 200 and len(built) == 1
        etag = first.headers["ETag"].strip('"')
        assert (folder / f"feed-{etag}").read_bytes() == first.data
        for app in (other, recycled):
            again = app.test_client().get(FEED)
            assert (again.data, again.headers["ETag"]) == (first.data, first.headers["ETag"])
            zipped = app.test_client().get(FEED, headers={"Accept-Encoding": "gzip"})
            assert zipped.headers["Content-Encoding"] == "gzip"
            assert zipped.headers["Content-Length"] == str(len(zipped.data))
            assert gzip.decompress(zipped.data) == first.data
        assert len(built) == 1
    finally:
        close_database(recycled, None)
        close_database(other, None)
        close_database(one, database_url)


def test_a_folder_that_cannot_be_written_means_building_the_feed(
    tmp_path, database_url, monkeypatch
):
    # A file where the folder should be: every write fails, every request still succeeds.
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("in the way")
    with app_with(tmp_path, database_url, CACHE_STORAGE_URI=f"file://{blocked}") as app:
        _demo(app)
        built = _count_builds(monkeypatch)
        client = app.test_client()
        first, again = client.get(FEED), client.get(FEED)
        zipped = client.get(FEED, headers={"Accept-Encoding": "gzip"})
        assert first.status_code == again.status_code == zipped.status_code == 200
        assert first.data == again.data and b"BEGIN:VEVENT" in first.data
        assert gzip.decompress(zipped.data) == first.data
        assert len(built) == 3
    assert blocked.read_text() == "in the way"


def test_an_entry_pruned_after_it_was_found_is_built_again(app, client, monkeypatch):
    _demo(app)
    first = client.get(FEED)
    with app.app_context():
        store = cache()
        real_find = store.find

        def find_then_prune(key, *, gzipped):
            found = real_find(key, gzipped=gzipped)
            if found is not None:
                found.unlink()
            return found

        monkeypatch.setattr(store, "find", find_then_prune)
    built = _count_builds(monkeypatch)
    again = client.get(FEED)
    assert (again.status_code, again.data) == (200, first.data)
    assert len(built) == 1


def test_each_process_takes_the_version_as_read_for_a_second(tmp_path, database_url, monkeypatch):
    """FEED_POLL_SECONDS: a kept feed then goes out with no query; a change shows after it."""
    from congress.calendar import queries
    from tests.programme_support import count_queries

    clock = [1000.0]
    monkeypatch.setattr(queries.time, "monotonic", lambda: clock[0])
    with app_with(tmp_path, database_url, FEED_POLL_SECONDS=1.0) as app:
        _demo(app)
        client = app.test_client()
        first = client.get(FEED)
        with app.app_context(), count_queries() as counted:
            again = client.get(FEED)
            polled = client.get(FEED, headers={"If-None-Match": first.headers["ETag"]})
        assert (again.data, polled.status_code, counted[0]) == (first.data, 304, 0)
        _rename_first_session(app, "Renamed within the second")
        clock[0] += 0.9
        assert client.get(FEED).headers["ETag"] == first.headers["ETag"]
        clock[0] += 0.2
        changed = client.get(FEED)
        assert changed.headers["ETag"] != first.headers["ETag"]
        assert b"SUMMARY;LANGUAGE=en:Renamed within the second" in changed.data


def test_the_feeds_have_a_folder_of_their_own(app):
    """The PDFs and the search's rebuilds keep files under the instance's cache/ too."""
    with app.app_context():
        pdf = Path(app.instance_path) / "cache" / "participants" / "list.pdf"
        pdf.parent.mkdir(parents=True)
        pdf.write_bytes(b"%PDF-1.7")
        assert cache().keep(KEY, b"plain", b"zipped")
        assert (
            cache().find(KEY, gzipped=False).parent == Path(app.instance_path) / "cache" / "feeds"
        )
        cache().clear()
        assert cache().find(KEY, gzipped=False) is None
    assert pdf.read_bytes() == b"%PDF-1.7"
