"""Load test: a limit of 10 sign-ins a minute admits 10, however many gunicorn workers serve.

    .venv/bin/python benchmarks/ratelimit_workers.py
    WORKERS=5 ATTEMPTS=45 CONCURRENCY=15 .venv/bin/python benchmarks/ratelimit_workers.py

Needs gunicorn (``pip install -e '.[serve]'``) and Redis. Environment (defaults in brackets):
REDIS_URL [redis://127.0.0.1:6379/0], CONGRESS_DATABASE_URL [a new SQLite file], WORKERS [5],
ATTEMPTS [45], CONCURRENCY [15], LIMIT [10 per minute], PORT [a free one].

It builds the database (``flask db upgrade``), then:

1. starts gunicorn.conf.py with WORKERS workers on ``memory://``: gunicorn must refuse, with
   status 1 and the message of ``congress.security.ratelimits.check_shared``;
2. starts it again with the limits in Redis (under a key prefix of this run's, removed at
   the end), takes one sign-in form with its CSRF token, and sends ATTEMPTS wrong
   passwords from CONCURRENCY threads at once, each on a connection of its own, so that
   the kernel hands them to every worker; it counts the answers (200: the form says the
   password is wrong, 429: too many attempts) and which worker gave each (the access
   log's pid);
3. for comparison, serves the same app without gunicorn.conf.py (so without its check) on
   ``memory://``, and sends the same attempts: each worker then counts its own 10.

It prints the figures and exits with status 1 unless (1) refused and (2) admitted exactly
the limit with every worker answering.
"""

from __future__ import annotations

import collections
import http.client
import http.cookies
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
WORKERS = int(os.environ.get("WORKERS", "5"))
ATTEMPTS = int(os.environ.get("ATTEMPTS", "45"))
CONCURRENCY = int(os.environ.get("CONCURRENCY", "15"))
LIMIT = os.environ.get("LIMIT", "10 per minute")
SIGN_IN = "/en/account/sign-in"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def executable(name: str) -> str:
    path = VENV / name
    return str(path) if path.exists() else (shutil.which(name) or name)


class Server:
    """One gunicorn on loopback, its access log naming the worker (pid) of each answer."""

    def __init__(self, env: dict[str, str], folder: Path, *, with_conf: bool = True):
        self.port = free_port()
        self.log = folder / f"access-{self.port}.log"
        self.errors = folder / f"gunicorn-{self.port}.log"
        conf = ROOT / "gunicorn.conf.py"
        if not with_conf:
            # gunicorn reads ./gunicorn.conf.py unless told another file: an empty one.
            conf = folder / "empty.conf.py"
            conf.touch()
        command = [
            executable("gunicorn"),
            "-c",
            str(conf),
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--access-logfile",
            str(self.log),
            "--access-logformat",
            "%(p)s %(m)s %(U)s %(s)s",
        ]
        if not with_conf:
            command += ["--preload", "congress:create_app()"]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.errors.open("w"),
        )

    def wait_until_up(self) -> None:
        for _ in range(150):
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped:\n{self.errors.read_text()}")
            try:
                if request(self.port, "GET", SIGN_IN)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer:\n{self.errors.read_text()}")

    def booted(self) -> int:
        return self.errors.read_text().count("Booting worker")

    def answers(self) -> list[tuple[str, str]]:
        """(worker pid, status) of every sign-in attempt, as the access log has them."""
        lines = self.log.read_text().split("\n")
        return [
            (pid, status)
            for pid, method, path, status in (line.split() for line in lines if line)
            if method == "POST" and path == SIGN_IN
        ]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def request(port: int, method: str, path: str, body: str = "", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheader("Set-Cookie"), response.read().decode()
    finally:
        connection.close()


def attempts(port: int) -> collections.Counter:
    """ATTEMPTS wrong passwords through one form (its cookie and CSRF token), all at once."""
    status, cookie, page = request(port, "GET", SIGN_IN)
    assert status == 200, status
    (token,) = CSRF.findall(page)
    session = http.cookies.SimpleCookie(cookie)["session"].value
    body = urlencode(
        {"csrf_token": token, "email": "nobody@example.org", "password": "a wrong password"}
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"session={session}",
        # Flask-WTF checks the referrer of a form sent over HTTPS only; loopback is HTTP.
        "Referer": f"http://127.0.0.1:{port}{SIGN_IN}",
    }
    statuses: collections.Counter = collections.Counter()
    lock = threading.Lock()
    start = threading.Barrier(CONCURRENCY)
    shares = [ATTEMPTS // CONCURRENCY + (i < ATTEMPTS % CONCURRENCY) for i in range(CONCURRENCY)]

    def send(count: int) -> None:
        start.wait()
        for _ in range(count):
            answer = request(port, "POST", SIGN_IN, body, headers)[0]
            with lock:
                statuses[answer] += 1

    threads = [threading.Thread(target=send, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def clean_redis(prefix: str) -> None:
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(match=f"*{prefix}*"):
        connection.delete(key)
    connection.close()


def report(name: str, server: Server, statuses: collections.Counter, elapsed: float) -> int:
    per_worker = collections.Counter(pid for pid, _ in server.answers())
    admitted = statuses.get(200, 0)
    print(f"== {name}")
    print(
        f"   {server.booted()} workers booted; {sum(statuses.values())} sign-in attempts in "
        f"{elapsed:.2f} s from {CONCURRENCY} threads: {admitted} admitted (200), "
        f"{statuses.get(429, 0)} refused (429), other: "
        f"{dict((k, v) for k, v in statuses.items() if k not in (200, 429)) or 'none'}"
    )
    print(f"   answered by {len(per_worker)} workers: {sorted(per_worker.values(), reverse=True)}")
    return admitted


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="congress-ratelimit-"))
    prefix = f"congress-ratelimit-{os.getpid()}-{secrets.token_hex(3)}"
    env = {
        **os.environ,
        "CONGRESS_INSTANCE_PATH": str(folder / "instance"),
        "CONGRESS_DATABASE_URL": os.environ.get("CONGRESS_DATABASE_URL")
        or f"sqlite:///{folder}/congress.sqlite3",
        "CONGRESS_SECRET_KEY": secrets.token_hex(32),
        "CONGRESS_RATELIMIT_SIGN_IN": LIMIT,
        "CONGRESS_RATELIMIT_KEY_PREFIX": prefix,
    }
    env.pop("WEB_CONCURRENCY", None)
    servers: list[Server] = []
    ok = True
    try:
        subprocess.run(
            [executable("flask"), "--app", "congress", "db", "upgrade"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        database = urlsplit(env["CONGRESS_DATABASE_URL"]).scheme.split("+")[0]
        print(f"limit {LIMIT!r}, {WORKERS} workers, database {database}, {os.cpu_count()} cores")

        # 1. Per-process counts with several workers: gunicorn refuses to start.
        refused = Server({**env, "CONGRESS_RATELIMIT_STORAGE_URI": "memory://"}, folder)
        servers.append(refused)
        status = refused.process.wait(timeout=120)
        message = refused.errors.read_text()
        (line,) = [line for line in message.splitlines() if line.startswith("Error: ")] or [""]
        print("== memory://, gunicorn.conf.py")
        print(f"   gunicorn exited with status {status}: {line}")
        ok &= status == 1 and "each worker's memory" in line

        # 2. Shared counts in Redis.
        shared = Server({**env, "CONGRESS_RATELIMIT_STORAGE_URI": REDIS_URL}, folder)
        servers.append(shared)
        shared.wait_until_up()
        began = time.monotonic()
        statuses = attempts(shared.port)
        elapsed = time.monotonic() - began
        admitted = report(f"{REDIS_URL}, gunicorn.conf.py", shared, statuses, elapsed)
        shared.stop()
        workers_seen = len({pid for pid, _ in shared.answers()})
        expected = int(LIMIT.split()[0])
        ok &= admitted == expected and workers_seen == WORKERS
        print(f"   expected {expected} admitted by {WORKERS} workers: {'yes' if ok else 'NO'}")

        # 3. For comparison: the same app without gunicorn.conf.py's check, on memory://.
        apart = Server(
            {**env, "CONGRESS_RATELIMIT_STORAGE_URI": "memory://"}, folder, with_conf=False
        )
        servers.append(apart)
        apart.wait_until_up()
        began = time.monotonic()
        statuses = attempts(apart.port)
        report(
            "memory://, without gunicorn.conf.py (what the check prevents)",
            apart,
            statuses,
            time.monotonic() - began,
        )
    finally:
        for server in servers:
            server.stop()
        clean_redis(prefix)
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
