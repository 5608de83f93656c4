"""Built feeds kept as files in the instance folder, shared by every worker.

An entry is named by a digest of everything it is built from (a feed's ETag),
so it is never stale: a change to the programme gives a new name, and the old
file is pruned later. Files rather than each process's memory or Redis,
because every worker on the machine reads the same folder, so a feed is built
once per change however many workers serve and survives a worker's recycling
(gunicorn's ``max_requests``) and a restart; and because a file goes out with
``send_file``, through the server's ``sendfile`` without its bytes passing
through Python. docs/PERFORMANCE.md has the load test that chose this.

Each entry has two files, the bytes and their gzip, each written to a temporary
file and renamed, so that a reader sees a whole file or none. The cache never
fails a request: when the folder cannot be written, the built bytes go out
from memory as if there were no cache.

``CACHE_STORAGE_URI``: ``file://`` (the instance folder's ``cache/feeds/``),
``file:///some/folder``, or ``none://`` to build every time.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)

EXTENSION = "congress.cache"
# What a key may hold: it becomes a file's name.
_KEY = re.compile(r"[a-z]+:[0-9a-f]{16,64}")


class FileCache:
    """Entries as files in ``directory``, at most about ``max_bytes`` in all."""

    def __init__(self, directory: Path, max_bytes: int):
        self.directory = directory
        self.max_bytes = max_bytes

    def path(self, key: str, *, gzipped: bool) -> Path:
        if not _KEY.fullmatch(key):
            raise ValueError(f"not a cache key: {key!r}")
        kind, digest = key.split(":")
        return self.directory / f"{kind}-{digest}{'.gz' if gzipped else ''}"

    def find(self, key: str, *, gzipped: bool) -> Path | None:
        """The file of ``key`` in that encoding, if kept."""
        path = self.path(key, gzipped=gzipped)
        return path if path.is_file() else None

    def keep(self, key: str, plain: bytes, gzipped: bytes) -> bool:
        """Write both encodings of ``key``; False (and nothing half-written) when it cannot."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            # The gzip last: find() of either is then safe as soon as it answers.
            for body, compressed in ((plain, False), (gzipped, True)):
                _write_atomically(self.path(key, gzipped=compressed), body)
        except OSError as error:
            log.warning(
                "feed cache in %s not written, serving from memory: %s", self.directory, error
            )
            return False
        self._prune()
        return True

    def clear(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    def _entries(self) -> Iterator[os.DirEntry]:
        try:
            with os.scandir(self.directory) as found:
                yield from (entry for entry in found if entry.is_file())
        except OSError:
            return

    def _prune(self) -> None:
        """Remove the oldest files while the folder holds more than ``max_bytes``.

        Only on a write, which comes once per change of a feed. An entry removed
        while still current is built again on its next request.
        """
        entries = []
        for entry in self._entries():
            try:
                stat = entry.stat()
            except OSError:
                continue
            entries.append((stat.st_mtime, entry.path, stat.st_size))
        total = sum(size for _, _, size in entries)
        for _, path, size in sorted(entries):
            if total <= self.max_bytes:
                break
            try:
                os.unlink(path)
            except OSError:
                continue
            total -= size


class NoCache:
    """``CACHE_STORAGE_URI=none://``: everything is built every time."""

    def find(self, key: str, *, gzipped: bool) -> Path | None:
        return None

    def keep(self, key: str, plain: bytes, gzipped: bytes) -> bool:
        return False

    def clear(self) -> None:
        pass


def _write_atomically(path: Path, body: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(body)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def cache_for(uri: str, instance_path: str, max_bytes: int) -> FileCache | NoCache:
    """The cache ``uri`` names: ``file://`` (``instance/cache``), ``file:///folder``, ``none://``."""
    scheme, _, rest = uri.partition("://")
    if scheme == "file":
        return FileCache(Path(rest) if rest else Path(instance_path) / "cache" / "feeds", max_bytes)
    if scheme == "none":
        return NoCache()
    raise ValueError(f"CACHE_STORAGE_URI: no cache for {uri!r} (file:// or none://)")


def cache() -> FileCache | NoCache:
    """The application's cache, made from its configuration on first use."""
    app = current_app._get_current_object()
    found = app.extensions.get(EXTENSION)
    if found is None:
        found = app.extensions[EXTENSION] = cache_for(
            app.config.get("CACHE_STORAGE_URI") or "file://",
            app.instance_path,
            int(app.config.get("CACHE_MAX_BYTES") or 256 * 1024 * 1024),
        )
    return found
