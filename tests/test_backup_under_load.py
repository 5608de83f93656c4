"""A backup taken while registrations are written: one consistent snapshot, restored whole.

A thread registers delegations and adds their members through the registration's
operations (each a transaction of its own, with its audit entry) while `flask export`
runs; between two tables the export waits until more registrations are committed, so
that every table is read after writes the tables before it did not see. The export must
still be one instant of the database: no row points at a row missing from it, each
delegation and member comes with the audit entry of its own transaction, and the
registrations in it are the first ones, in order. `flask import` of it into an empty
database then gives back every row, which a second export shows.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict

import pytest
from sqlalchemy import select

from congress import backup
from congress.accounts.models import User
from congress.congresses.models import Congress
from congress.extensions import db
from congress.registration.models import Category, DelegateRole
from congress.registration.rules import DelegateDetails, DelegationDetails
from tests.conftest import POSTGRESQL_URL
from tests.test_backup import close, export, migrated_app, restore
from tests.test_migrations import empty_database

# Registrations committed between the reading of two tables.
BETWEEN_TABLES = 1
WAIT = 30  # seconds: the writer is far quicker; only a broken writer makes the export wait


class Writer(threading.Thread):
    """Registers delegations ("Load 1", "Load 2", …) with 1 to 3 members each, until stopped."""

    def __init__(self, app, congress_id: int, focal_point_id: int):
        super().__init__(daemon=True)
        self.app, self.congress_id, self.focal_point_id = app, congress_id, focal_point_id
        self.done = 0  # registrations committed whole
        self.members: dict[int, int] = {}  # registration number → members it will have
        self.error: BaseException | None = None
        self.stop = threading.Event()
        self.progress = threading.Condition()

    def run(self) -> None:
        from congress.registration.operations import add_delegate, register_delegation

        try:
            with self.app.app_context():
                congress = db.session.get(Congress, self.congress_id)
                focal_point = db.session.get(User, self.focal_point_id)
                number = 0
                while not self.stop.is_set():
                    number += 1
                    self.members[number] = 1 + number % 3
                    delegation = register_delegation(
                        congress,
                        focal_point,
                        DelegationDetails(Category.NGO, organisation_name=f"Load {number}"),
                    )
                    for member in range(self.members[number]):
                        add_delegate(
                            delegation,
                            DelegateDetails(
                                given_names=f"Member {member}",
                                family_name=f"Load {number}",
                                role=DelegateRole.HEAD if member == 0 else DelegateRole.ALTERNATE,
                                email=f"load-{number}-{member}@example.org",
                            ),
                        )
                    with self.progress:
                        self.done = number
                        self.progress.notify_all()
                db.session.remove()
        except BaseException as error:  # reported by the test, which would otherwise hang
            self.error = error
            with self.progress:
                self.progress.notify_all()

    def wait_for(self, count: int) -> None:
        with self.progress:
            reached = self.progress.wait_for(
                lambda: self.done >= count or self.error is not None, timeout=WAIT
            )
        assert self.error is None, self.error
        assert reached, f"the writer committed {self.done} registrations, not {count}"


def prepare(app) -> tuple[int, int]:
    """The demo congress open for registration of organisations, and a focal point."""
    from datetime import UTC, datetime, timedelta

    from congress.demo import DemoSize, build_demo
    from congress.registration.models import CategoryQuota

    with app.app_context():
        demo = build_demo(DemoSize(delegations=3, delegates=6, sessions=4, rooms=2, days=2))
        now = datetime.now(UTC)
        demo.registration_opens_at = now - timedelta(days=1)
        demo.registration_closes_at = now + timedelta(days=30)
        quota = db.session.scalar(
            select(CategoryQuota).where(
                CategoryQuota.congress_id == demo.id, CategoryQuota.category == Category.NGO
            )
        )
        if quota is None:
            db.session.add(CategoryQuota(congress_id=demo.id, category=Category.NGO, is_open=True))
        else:
            quota.is_open, quota.max_delegates = True, None
        focal = User(email="focal@example.org", name="Focal Point", password_hash="x")
        db.session.add(focal)
        db.session.commit()
        ids = demo.id, focal.id
        close()
    return ids


def dangling(tables: dict[str, list[dict]]) -> list[str]:
    """Every foreign key in the document whose row is not in it."""
    problems = []
    for table in db.metadata.sorted_tables:
        for constraint in table.foreign_key_constraints:
            target = constraint.referred_table.name
            pairs = [(e.parent.name, e.column.name) for e in constraint.elements]
            present = {tuple(row[c] for _, c in pairs) for row in tables[target]}
            for row in tables[table.name]:
                key = tuple(row[p] for p, _ in pairs)
                if None not in key and key not in present:
                    problems.append(f"{table.name} {key} → {target} missing")
    return problems


def assert_one_instant(tables: dict[str, list[dict]], writer: Writer) -> int:
    """The snapshot's registrations; fails on anything a single instant could not hold."""
    assert dangling(tables) == []
    load = {
        row["id"]: int(row["organisation_name"].removeprefix("Load "))
        for row in tables["delegations"]
        if (row["organisation_name"] or "").startswith("Load ")
    }
    members = defaultdict(set)
    for row in tables["delegates"]:
        if row["delegation_id"] in load:
            members[row["delegation_id"]].add(row["id"])
    audited = defaultdict(set)
    for entry in tables["audit_entries"]:
        audited[entry["action"]].add(entry["object_id"])
    # Each delegation and member is there with the audit entry its transaction wrote.
    assert audited["delegation.register"] == set(load)
    assert audited["delegate.add"] == set().union(*members.values())
    # The registrations are the first ones, in order; all whole but perhaps the last,
    # whose members were being added one transaction at a time (the snapshot may fall after
    # its delegation's transaction and before its first member's: none of them yet).
    numbers = sorted(load.values())
    assert numbers == list(range(1, len(numbers) + 1))
    by_number = {number: delegation for delegation, number in load.items()}
    for number in numbers[:-1]:
        assert len(members[by_number[number]]) == writer.members[number], number
    assert len(members[by_number[numbers[-1]]]) <= writer.members[numbers[-1]]
    return len(numbers)


def assert_export_under_load(tmp_path, source_url: str, target_url: str, monkeypatch) -> None:
    source = migrated_app(tmp_path, source_url, "source")
    congress_id, focal_point_id = prepare(source)
    writer = Writer(source, congress_id, focal_point_id)
    tables_read = []
    read_rows = backup._rows

    def rows_while_writing(connection, table, *args):
        # Before each table, let the writer commit more: a reader without one snapshot
        # would see in this table rows the tables before it lack.
        writer.wait_for(writer.done + BETWEEN_TABLES)
        tables_read.append((table.name, writer.done))
        yield from read_rows(connection, table, *args)

    monkeypatch.setattr(backup, "_rows", rows_while_writing)
    path = tmp_path / "under-load.json"
    writer.start()
    try:
        writer.wait_for(1)
        document = export(source, path)
    finally:
        writer.stop.set()
        writer.join(timeout=WAIT)
    assert writer.error is None, writer.error
    monkeypatch.setattr(backup, "_rows", read_rows)

    tables = document["tables"]
    assert len(tables_read) == len(db.metadata.sorted_tables)
    in_backup = assert_one_instant(tables, writer)
    # Written meanwhile, and not in it: far more than it holds.
    assert tables_read[-1][1] >= in_backup + BETWEEN_TABLES * (len(tables_read) - 1)
    with source.app_context():
        names = db.session.scalars(
            select(db.metadata.tables["delegations"].c.organisation_name)
        ).all()
        close()
    assert sum(1 for name in names if (name or "").startswith("Load ")) >= tables_read[-1][1]

    # Restored into an empty database, every row of the backup comes back.
    target = migrated_app(tmp_path, target_url, "target")
    result = restore(target, path)
    assert result.exit_code == 0, result.output
    total = sum(len(rows) for rows in tables.values())
    assert result.output.startswith(f"Imported {total} rows of {len(tables)} tables")
    again = export(target, tmp_path / "restored.json")
    with target.app_context():
        close()
    assert again["alembic_revision"] == document["alembic_revision"]
    assert again["tables"] == tables
    assert json.dumps(again["tables"], sort_keys=True) == json.dumps(tables, sort_keys=True)


def test_export_under_load_on_sqlite(tmp_path, monkeypatch):
    assert_export_under_load(
        tmp_path,
        f"sqlite:///{tmp_path}/source.sqlite3",
        f"sqlite:///{tmp_path}/target.sqlite3",
        monkeypatch,
    )


@pytest.mark.postgresql
def test_export_under_load_on_postgresql(tmp_path, monkeypatch):
    with (
        empty_database(POSTGRESQL_URL, tmp_path / "a") as source_url,
        empty_database(POSTGRESQL_URL, tmp_path / "b") as target_url,
    ):
        assert source_url.startswith("postgresql")
        assert_export_under_load(tmp_path, source_url, target_url, monkeypatch)
