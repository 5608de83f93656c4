"""The cache of built feeds: once per change, never stale, in each process or shared in Redis."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import redis
from sqlalchemy import select

from congress.cache import MemoryStore, NoStore, RedisStore, cache, store_for
from congress.calendar import views
from congress.demo import DemoSize, build_demo
from congress.extensions import db
from congress.programme.models import Session
from tests.conftest import app_with, close_database, make_app

REDIS_URL = "redis://127.0.0.1:6379"
FEED = "/congresses/demo/calendar.ics"


def test_memory_store_keeps_the_most_recently_used_within_its_size():
    store = MemoryStore(max_bytes=10)
    store.set("a", b"aaaa", ttl=60)
    store.set("b", b"bbbb", ttl=60)
    assert store.get("a") == b"aaaa"  # a is now the most recently used
    store.set("c", b"cccc", ttl=60)
    assert (store.get("a"), store.get("b"), store.get("c")) == (b"aaaa", None, b"cccc")
    assert store.size == 8
    store.set("a", b"a", ttl=60)
    assert store.size == 5
    # Larger than the whole store: not kept, nothing evicted for it.
    store.set("huge", b"x" * 11, ttl=60)
    assert store.get("huge") is None and store.get("c") == b"cccc"
    store.clear()
    assert (store.get("a"), store.size) == (None, 0)


def test_store_named_by_the_configuration():
    assert isinstance(store_for("memory://", 100), MemoryStore)
    assert isinstance(store_for("none://", 100), NoStore)
    assert isinstance(store_for("redis://127.0.0.1:6379/0", 100), RedisStore)
    with pytest.raises(ValueError, match="no cache store for 'memcached://x'"):
        store_for("memcached://x", 100)


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


@pytest.mark.redis
def test_workers_share_the_feeds_built_in_redis(tmp_path, database_url, monkeypatch):
    prefix = f"congress-test-{uuid.uuid4().hex}:"
    config = {"CACHE_STORAGE_URI": REDIS_URL, "CACHE_KEY_PREFIX": prefix}
    # Two applications on one database: two worker processes behind one address.
    shared = database_url or f"sqlite:///{tmp_path}/shared.sqlite3"
    one = make_app(tmp_path / "one", shared, **config)
    other = make_app(tmp_path / "other", shared, **config)
    with one.app_context():
        if database_url is None:
            db.create_all()
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        _demo(one)
        built = _count_builds(monkeypatch)
        body = one.test_client().get(FEED).data
        with other.app_context():
            assert isinstance(cache(), RedisStore)
        assert other.test_client().get(FEED).data == body
        assert len(built) == 1
        keys = list(connection.scan_iter(match=f"{prefix}*"))
        assert len(keys) == 1 and 0 < connection.ttl(keys[0]) <= 3600
    finally:
        for key in connection.scan_iter(match=f"{prefix}*"):
            connection.delete(key)
        connection.close()
        close_database(other, None)
        close_database(one, database_url)


def test_unreachable_redis_means_building_the_feed(tmp_path, database_url, monkeypatch):
    # Nothing listens on port 9 of loopback: every lookup fails at once.
    with app_with(tmp_path, database_url, CACHE_STORAGE_URI="redis://127.0.0.1:9") as app:
        _demo(app)
        built = _count_builds(monkeypatch)
        client = app.test_client()
        first, again = client.get(FEED), client.get(FEED)
        assert first.status_code == again.status_code == 200
        assert first.data == again.data and b"BEGIN:VEVENT" in first.data
        assert len(built) == 2
