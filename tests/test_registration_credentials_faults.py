"""A credentials letter the disk cannot take: a clear message beside the field, in the focal
point's language, no file left behind (whole, partial or temporary) and no change kept.

Faults are injected two ways: a real full filesystem (a tmpfs of 64 KiB mounted over the
credentials folder, which needs root) and the write itself made to fail with the error
a full disk or a refused folder gives.
"""

from __future__ import annotations

import errno
import io
import os
import subprocess
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from congress.accounts.models import User
from congress.audit.models import AuditEntry
from congress.congresses.models import Congress
from congress.extensions import db
from congress.registration import credentials
from congress.registration.models import Delegation
from tests.markup import field_errors
from tests.registration_support import make_congress, make_delegation, make_user, pdf_bytes
from tests.registration_support import sign_in as sign_in_as

FULL = (
    "The letter could not be kept: the server's disk is full. Nothing was saved. "
    "Please try again later; if it happens again, tell the organisers."
)
REFUSED = (
    "The letter could not be kept: the server is not allowed to write it. "
    "Nothing was saved. Please tell the organisers."
)


def big_pdf(size: int) -> bytes:
    """A well-formed PDF of about ``size`` bytes: a comment line pads it after the header."""
    small = pdf_bytes()
    header, rest = small.split(b"\n", 1)
    return header + b"\n%" + b"x" * size + b"\n" + rest


@pytest.fixture
def world(app):
    with app.app_context():
        congress = make_congress()
        focal_point = make_user("clara@itamaraty.gov.br", name="Clara Nunes", language="pt")
        old = credentials.store(pdf_bytes("old letter"))
        delegation = make_delegation(congress, focal_point, credentials_file=old)
        db.session.commit()
        return {
            "congress": congress.id,
            "focal_point": focal_point.id,
            "delegation": delegation.id,
            "old": old,
        }


def files_in(app) -> list[str]:
    """Every file in the credentials folder, hidden ones included."""
    folder = Path(app.instance_path) / "credentials"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


def translated(app, lang: str, message: str) -> str:
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        return gettext(message)


@pytest.fixture
def full_disk(app, world):
    """The credentials folder on a 64 KiB tmpfs that already holds the old letter."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; the injected faults below cover the rest")
    folder = Path(app.instance_path) / "credentials"
    saved = {name: (folder / name).read_bytes() for name in files_in(app)}
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], check=True)
    try:
        for name, data in saved.items():
            (folder / name).write_bytes(data)
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def upload(client, delegation_id: int, data: bytes, lang: str = "en"):
    return client.post(
        f"/{lang}/delegations/{delegation_id}/credentials",
        data={"credentials": (io.BytesIO(data), "Nota verbal.pdf")},
    )


def assert_nothing_changed(app, world, before_files: list[str], before_audit: int) -> None:
    assert files_in(app) == before_files
    with app.app_context():
        delegation = db.session.get(Delegation, world["delegation"])
        assert delegation.credentials_file == world["old"]
        assert delegation.credentials_filename == "note-verbale.pdf"
        assert credentials.path_of(world["old"]).read_bytes() == pdf_bytes("old letter")
        assert audit_count() == before_audit


def test_a_full_filesystem_refuses_the_upload_beside_the_field(app, client, world, full_disk):
    sign_in_as(client, world["focal_point"])
    with app.app_context():
        before_audit = audit_count()
    before = files_in(app)
    # Too big for what is left of the 64 KiB, well within the size allowed.
    response = upload(client, world["delegation"], big_pdf(100_000))
    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), "credentials") == [FULL]
    assert_nothing_changed(app, world, before, before_audit)
    # A letter that fits still goes in: the fault was the disk's, not the form's.
    response = upload(client, world["delegation"], pdf_bytes("new letter"))
    assert response.status_code == 302
    with app.app_context():
        delegation = db.session.get(Delegation, world["delegation"])
        assert credentials.path_of(delegation.credentials_file).read_bytes() == pdf_bytes(
            "new letter"
        )
    assert files_in(app) == [delegation.credentials_file]


class _FailingFile:
    """A file that takes half of what it is given, then fails as a full disk does."""

    def __init__(self, real, error: int):
        self.real, self.error = real, error

    def write(self, data: bytes) -> int:
        self.real.write(data[: len(data) // 2])
        self.real.flush()
        raise OSError(self.error, os.strerror(self.error))

    def __getattr__(self, name):
        return getattr(self.real, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.real.close()


def fail_writes(monkeypatch, error: int) -> None:
    real_fdopen = os.fdopen
    monkeypatch.setattr(
        credentials.os, "fdopen", lambda fd, *a, **k: _FailingFile(real_fdopen(fd, *a, **k), error)
    )


@pytest.mark.parametrize(("error", "message"), [(errno.ENOSPC, FULL), (errno.EACCES, REFUSED)])
def test_a_write_that_fails_half_way_leaves_no_partial_file(
    app, client, world, monkeypatch, error, message
):
    sign_in_as(client, world["focal_point"])
    with app.app_context():
        before_audit = audit_count()
    before = files_in(app)
    fail_writes(monkeypatch, error)
    response = upload(client, world["delegation"], pdf_bytes("new letter"))
    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), "credentials") == [message]
    assert_nothing_changed(app, world, before, before_audit)


def test_the_message_is_in_the_focal_points_language(app, client, world, monkeypatch):
    sign_in_as(client, world["focal_point"])
    fail_writes(monkeypatch, errno.ENOSPC)
    response = upload(client, world["delegation"], pdf_bytes(), lang="pt")
    portuguese = translated(app, "pt", FULL)
    assert portuguese != FULL
    assert field_errors(response.get_data(as_text=True), "credentials") == [portuguese]


def test_a_folder_that_cannot_be_made_refuses_a_new_registration_and_keeps_nothing(
    app, client, world, monkeypatch
):
    """Registering with a letter: the delegation is not created when its letter is not kept."""
    with app.app_context():
        other = make_user("ana@example.org", name="Ana")
        db.session.commit()
        other_id = other.id
        before_delegations = db.session.scalar(select(func.count()).select_from(Delegation))

    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(credentials.tempfile, "mkstemp", refuse)
    sign_in_as(client, other_id)
    before = files_in(app)
    response = client.post(
        "/en/congresses/rio-2008/register",
        data={
            "category": "state",
            "country_code": "AR",
            "credentials": (io.BytesIO(pdf_bytes()), "Nota.pdf"),
        },
    )
    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), "credentials") == [REFUSED]
    assert files_in(app) == before
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Delegation))
        assert count == before_delegations
        assert db.session.get(Congress, world["congress"]) is not None
        assert db.session.get(User, other_id).email == "ana@example.org"


def test_store_writes_through_a_temporary_file_renamed_into_place(app, monkeypatch):
    """The rename is the only way a letter appears under its name."""
    renames = []
    real_replace = os.replace

    def watch(source, target):
        renames.append((Path(source).name, Path(target).name, Path(source).read_bytes()))
        real_replace(source, target)

    monkeypatch.setattr(credentials.os, "replace", watch)
    with app.test_request_context():
        name = credentials.store(pdf_bytes("kept"))
        path = credentials.path_of(name)
        assert path.read_bytes() == pdf_bytes("kept")
        assert oct(path.stat().st_mode & 0o777) == "0o600"
    ((source, target, data),) = renames
    assert source.startswith(".") and source.endswith(".partial")
    assert target == name
    assert data == pdf_bytes("kept")
    assert files_in(app) == [name]
