"""Keeping the search index in step with the rows it describes.

Every flush rewrites the rows of the congresses, sessions, outcome documents,
delegations and follow-up records it touched (a SQLAlchemy ``after_flush`` listener, so the archive
loader, organisers' pages and the demo builder need not remember to). ``rebuild``
recomputes everything, for a database that predates the index.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, event, insert, inspect, select, update
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import contains_eager, object_session

from congress.archive.models import OutcomeDocument
from congress.congresses.models import Congress
from congress.db import LANGUAGES
from congress.i18n.content import localize
from congress.i18n.countries import country_name
from congress.monitoring.models import FollowUpRecord, RecordStatus
from congress.programme.models import Session
from congress.registration.models import Category, Delegation, DelegationStatus
from congress.search.models import SearchEntry, SearchKind
from congress.search.normalise import normalise
from congress.statements.models import (
    DelegationStatement,
    SessionDocument,
    StatementStatus,
    StatementText,
)

KINDS: dict[type, SearchKind] = {
    Congress: SearchKind.CONGRESS,
    Session: SearchKind.SESSION,
    OutcomeDocument: SearchKind.DOCUMENT,
    Delegation: SearchKind.DELEGATION,
    FollowUpRecord: SearchKind.RECORD,
    DelegationStatement: SearchKind.STATEMENT,
    SessionDocument: SearchKind.MATERIAL,
}


def is_public(delegation: Delegation) -> bool:
    """Only accredited delegations are shown to the public, so only they are found."""
    return delegation.status is DelegationStatus.ACCREDITED


def congress_id_of(obj: object) -> int:
    """The congress an index row belongs to: a follow-up record's is its document's."""
    if isinstance(obj, Congress):
        return obj.id
    if isinstance(obj, FollowUpRecord):
        # By its id: a record added with only ``document_id`` has no document loaded, and a
        # flush's pending record loads none. The document is mostly in the identity map.
        session = object_session(obj)
        with session.no_autoflush:
            return session.get(OutcomeDocument, obj.document_id).congress_id
    return obj.congress_id


def texts(obj: object, congress: Congress | None) -> dict[str, str]:
    """The text each language's pages show of ``obj``: what a visitor may search for."""
    if isinstance(obj, Congress):
        # A congress is found by its name in any language: people quote it in theirs.
        text = " ".join([*(obj.name or {}).values(), *(obj.city or {}).values()])
        return dict.fromkeys(LANGUAGES, text)
    if isinstance(obj, Session):
        return {
            lang: " ".join(
                (
                    localize(obj.title, obj.original_language, lang).text,
                    localize(obj.description, obj.original_language, lang).text,
                )
            )
            for lang in LANGUAGES
        }
    if isinstance(obj, OutcomeDocument):
        return {lang: localize(obj.title, obj.original_language, lang).text for lang in LANGUAGES}
    if isinstance(obj, Delegation):
        if not is_public(obj):
            return {}
        if obj.category is Category.STATE and obj.country_code:
            on = congress.start_date if congress is not None else None
            # The name of the time as the lists give it, and today's name people type.
            return {
                lang: f"{country_name(obj.country_code, lang, on)} "
                f"{country_name(obj.country_code, lang)}"
                for lang in LANGUAGES
            }
        return dict.fromkeys(LANGUAGES, obj.organisation_name or "")
    if isinstance(obj, FollowUpRecord):
        # Published records only, as the public reads them: each language's text, or the
        # text its pages show in that language's place.
        if obj.status is not RecordStatus.PUBLISHED:
            return {}
        return {lang: localize(obj.text, obj.original_language, lang).text for lang in LANGUAGES}
    if isinstance(obj, DelegationStatement):
        # Published statements only; found by their text in every language they were sent
        # in, whatever the page's language: a researcher quotes the words she read.
        if obj.status is not StatementStatus.PUBLISHED:
            return {}
        text = " ".join(t.text for t in obj.texts)
        return dict.fromkeys(LANGUAGES, text)
    if isinstance(obj, SessionDocument):
        return {
            lang: f"{localize(obj.title, obj.original_language, lang).text} {obj.text}"
            for lang in LANGUAGES
        }
    raise TypeError(f"{type(obj).__name__} is not searchable")


def entries(obj: object, congress: Congress | None) -> list[dict]:
    """The index rows of ``obj``, as plain values for an INSERT."""
    kind = KINDS[type(obj)]
    congress_id = congress_id_of(obj)
    return [
        {
            "kind": kind,
            "object_id": obj.id,
            "congress_id": congress_id,
            "language": lang,
            # A leading space lets a query match the start of any word: LIKE '% term%'.
            "text": " " + normalise(text),
        }
        for lang, text in texts(obj, congress).items()
    ]


def _congress_of(session: OrmSession, obj: object) -> Congress | None:
    if isinstance(obj, Congress):
        return obj
    with session.no_autoflush:
        return session.get(Congress, congress_id_of(obj))


def _rewrite(session: OrmSession, changed: Iterable[object], deleted: Iterable[object]) -> None:
    by_kind: dict[SearchKind, set[int]] = {}
    rows: list[dict] = []
    for obj in deleted:
        by_kind.setdefault(KINDS[type(obj)], set()).add(obj.id)
    for obj in changed:
        by_kind.setdefault(KINDS[type(obj)], set()).add(obj.id)
        rows.extend(entries(obj, _congress_of(session, obj)))
    connection = session.connection()
    for kind, ids in by_kind.items():
        connection.execute(
            delete(SearchEntry).where(SearchEntry.kind == kind, SearchEntry.object_id.in_(ids))
        )
    if rows:
        connection.execute(insert(SearchEntry), rows)


def _after_flush(session: OrmSession, _flush_context) -> None:
    changed = [o for o in (*session.new, *session.dirty) if type(o) in KINDS]
    # A statement's text changed alone: its statement's rows follow.
    changed += [
        o.statement
        for o in (*session.new, *session.dirty, *session.deleted)
        if isinstance(o, StatementText) and o.statement is not None
    ]
    deleted = [o for o in session.deleted if type(o) in KINDS]
    if not changed and not deleted:
        return
    moved = [
        o.id
        for o in changed
        if isinstance(o, Congress)
        and not inspect(o).pending
        and inspect(o).attrs.start_date.history.has_changes()
    ]
    if moved:
        # A congress that changed dates may change the names of the time of its countries.
        with session.no_autoflush:
            changed += session.scalars(
                select(Delegation).where(Delegation.congress_id.in_(moved))
            ).all()
    gone = {id(o) for o in deleted}
    _rewrite(session, {id(o): o for o in changed if id(o) not in gone}.values(), deleted)


def listen() -> None:
    """Rewrite the index rows of what each flush touches; idempotent."""
    if not event.contains(OrmSession, "after_flush", _after_flush):
        event.listen(OrmSession, "after_flush", _after_flush)


def rebuild(session: OrmSession, congress_ids: Iterable[int] | None = None) -> int:
    """Make the index match the database for these congresses (all by default).

    Only rows that differ are written, so running it twice changes nothing the
    second time. Returns the number of rows written or removed.
    """
    congresses = select(Congress)
    if congress_ids is not None:
        congresses = congresses.where(Congress.id.in_(list(congress_ids)))
    by_id = {c.id: c for c in session.scalars(congresses)}
    ids = list(by_id)
    wanted: dict[tuple, dict] = {}
    objects: list[object] = list(by_id.values())
    for model in (Session, OutcomeDocument, Delegation, DelegationStatement, SessionDocument):
        objects += session.scalars(select(model).where(model.congress_id.in_(ids))).all()
    objects += session.scalars(
        select(FollowUpRecord)
        .join(FollowUpRecord.document)
        .where(OutcomeDocument.congress_id.in_(ids))
        .options(contains_eager(FollowUpRecord.document))
    ).all()
    for obj in objects:
        congress = by_id[congress_id_of(obj)]
        for row in entries(obj, congress):
            wanted[(row["kind"], row["object_id"], row["language"])] = row

    existing = session.execute(
        select(
            SearchEntry.id,
            SearchEntry.kind,
            SearchEntry.object_id,
            SearchEntry.language,
            SearchEntry.congress_id,
            SearchEntry.text,
        ).where(SearchEntry.congress_id.in_(ids))
    ).all()
    written = 0
    for row in existing:
        key = (row.kind, row.object_id, row.language)
        want = wanted.pop(key, None)
        if want is None:
            session.execute(delete(SearchEntry).where(SearchEntry.id == row.id))
            written += 1
        elif (want["congress_id"], want["text"]) != (row.congress_id, row.text):
            session.execute(
                update(SearchEntry)
                .where(SearchEntry.id == row.id)
                .values(congress_id=want["congress_id"], text=want["text"])
            )
            written += 1
    if wanted:
        session.execute(insert(SearchEntry), list(wanted.values()))
        written += len(wanted)
    return written
