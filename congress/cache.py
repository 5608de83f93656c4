"""A cache of built bytes (calendar feeds), in each process or shared in Redis.

Entries are kept under a digest of everything they are built from (a feed's
ETag), so an entry is never stale: a change to the programme gives a new key,
and the old entry ages out. That is what makes the in-process store safe when
several workers serve: each may hold its own copy of the same bytes, and no
answer depends on which worker gives it. Redis (``CACHE_STORAGE_URI=redis://…``)
lets every worker share one copy, so a feed is built once per change rather
than once per worker.

The cache never fails a request: when Redis cannot be reached, a lookup is a
miss and the bytes are built as if there were no cache.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Protocol

from flask import current_app

log = logging.getLogger(__name__)

EXTENSION = "congress.cache"


class Store(Protocol):
    def get(self, key: str) -> bytes | None: ...

    def set(self, key: str, value: bytes, ttl: int) -> None: ...

    def clear(self) -> None: ...


class MemoryStore:
    """The most recently used entries, up to ``max_bytes`` in all, in this process."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def set(self, key: str, value: bytes, ttl: int) -> None:
        # No expiry needed: keys are digests of the content, and the least used go first.
        if len(value) > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self.size -= len(old) if old is not None else 0
            self._entries[key] = value
            self.size += len(value)
            while self.size > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self.size -= len(evicted)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = 0


class RedisStore:
    """Entries in Redis under ``prefix``, each for ``ttl`` seconds."""

    def __init__(self, url: str, prefix: str = "congress:cache:"):
        import redis

        self._errors = redis.RedisError
        # A cache that answers slowly is worse than none: give up quickly and build.
        self._client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.prefix = prefix

    def get(self, key: str) -> bytes | None:
        try:
            return self._client.get(self.prefix + key)
        except self._errors as error:
            log.warning("cache unavailable, building instead: %s", error)
            return None

    def set(self, key: str, value: bytes, ttl: int) -> None:
        try:
            self._client.set(self.prefix + key, value, ex=ttl)
        except self._errors as error:
            log.warning("cache unavailable, not kept: %s", error)

    def clear(self) -> None:
        try:
            for key in self._client.scan_iter(match=self.prefix + "*", count=500):
                self._client.delete(key)
        except self._errors as error:
            log.warning("cache unavailable, not cleared: %s", error)


class NoStore:
    """``CACHE_STORAGE_URI=none://``: everything is built every time."""

    def get(self, key: str) -> bytes | None:
        return None

    def set(self, key: str, value: bytes, ttl: int) -> None:
        pass

    def clear(self) -> None:
        pass


def store_for(uri: str, max_bytes: int, prefix: str = "congress:cache:") -> Store:
    """The store ``uri`` names: ``memory://``, ``redis://…`` (or ``rediss://…``), ``none://``."""
    scheme = uri.partition("://")[0]
    if scheme == "memory":
        return MemoryStore(max_bytes)
    if scheme in ("redis", "rediss", "unix"):
        return RedisStore(uri, prefix)
    if scheme == "none":
        return NoStore()
    raise ValueError(f"CACHE_STORAGE_URI: no cache store for {uri!r}")


def cache() -> Store:
    """The application's store, made from its configuration on first use."""
    app = current_app._get_current_object()
    found = app.extensions.get(EXTENSION)
    if found is None:
        found = app.extensions[EXTENSION] = store_for(
            app.config.get("CACHE_STORAGE_URI") or "memory://",
            int(app.config.get("CACHE_MEMORY_BYTES") or 32 * 1024 * 1024),
            app.config.get("CACHE_KEY_PREFIX") or "congress:cache:",
        )
    return found
