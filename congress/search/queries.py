"""Finding things: the visitor's query against the index, then the rows themselves.

A search costs a fixed number of queries: one on the index, one per kind found,
one for the congresses' dates (countries' names of the time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from congress.archive.models import OutcomeDocument
from congress.congresses.models import Congress
from congress.extensions import db
from congress.i18n.collation import sort_key
from congress.i18n.content import localize
from congress.i18n.countries import country_name, states
from congress.monitoring.models import FollowUpRecord, RecordStatus
from congress.programme.models import Session
from congress.programme.rules import programme_is_public
from congress.registration.models import Delegation, DelegationStatus
from congress.search.models import SearchEntry, SearchKind
from congress.search.normalise import escape_like, normalise, passage
from congress.statements.models import DelegationStatement, SessionDocument, StatementStatus
from congress.statements.rules import delegation_name_on, statement_day

MIN_LENGTH = 2
MAX_LENGTH = 200
LIMIT_PER_KIND = 50


@dataclass
class Hit:
    """One result: the object, the text it is listed by, and its congress (if any)."""

    obj: object
    label: str
    congress: Congress | None = None
    # The words around the match, for statements and session documents (normalise.passage).
    passage: list[tuple[str, bool]] = field(default_factory=list)


@dataclass
class Results:
    query: str
    terms: list[str]
    groups: dict[str, list[Hit]] = field(default_factory=dict)

    @property
    def too_short(self) -> bool:
        return len("".join(self.terms)) < MIN_LENGTH

    @property
    def count(self) -> int:
        return sum(len(hits) for hits in self.groups.values())


def search(query: str, lang: str) -> Results:
    """Everything whose text in ``lang`` has a word starting with each word of ``query``.

    Case, accents and punctuation are ignored on both sides.
    """
    query = (query or "").strip()[:MAX_LENGTH]
    results = Results(query=query, terms=normalise(query).split())
    if results.too_short:
        return results
    conditions = [
        SearchEntry.text.like(f"% {escape_like(term)}%", escape="\\") for term in results.terms
    ]
    found = db.session.execute(
        select(SearchEntry.kind, SearchEntry.object_id)
        .where(SearchEntry.language == lang, *conditions)
        .order_by(SearchEntry.kind, SearchEntry.object_id)
    ).all()
    ids: dict[SearchKind, list[int]] = {}
    for kind, object_id in found:
        ids.setdefault(kind, []).append(object_id)
    for kind in (SearchKind.STATEMENT, SearchKind.MATERIAL):
        # Thousands of statements may say the same words: the first ones found are shown,
        # in one query whatever their number.
        if kind in ids:
            ids[kind] = ids[kind][:LIMIT_PER_KIND]

    groups = {
        SearchKind.CONGRESS.value: _congresses(ids.get(SearchKind.CONGRESS), lang),
        SearchKind.SESSION.value: _sessions(ids.get(SearchKind.SESSION), lang),
        SearchKind.DOCUMENT.value: _documents(ids.get(SearchKind.DOCUMENT), lang),
        SearchKind.DELEGATION.value: _delegations(ids.get(SearchKind.DELEGATION), lang),
        SearchKind.RECORD.value: _records(ids.get(SearchKind.RECORD), lang),
        SearchKind.STATEMENT.value: _statements(ids.get(SearchKind.STATEMENT), lang, results.terms),
        SearchKind.MATERIAL.value: _materials(ids.get(SearchKind.MATERIAL), lang, results.terms),
        "country": _countries(results.terms, lang),
    }
    results.groups = {
        kind: sorted(hits, key=lambda h: sort_key(h.label, lang))[:LIMIT_PER_KIND]
        for kind, hits in groups.items()
        if hits
    }
    return results


def _text(obj, field_name: str, lang: str) -> str:
    return localize(getattr(obj, field_name), obj.original_language, lang).text


def _congresses(ids: list[int] | None, lang: str) -> list[Hit]:
    if not ids:
        return []
    rows = db.session.scalars(select(Congress).where(Congress.id.in_(ids)))
    return [Hit(c, _text(c, "name", lang), c) for c in rows]


def _sessions(ids: list[int] | None, lang: str) -> list[Hit]:
    if not ids:
        return []
    rows = db.session.scalars(
        select(Session).where(Session.id.in_(ids)).options(joinedload(Session.congress))
    )
    return [
        Hit(s, _text(s, "title", lang), s.congress) for s in rows if programme_is_public(s.congress)
    ]


def _documents(ids: list[int] | None, lang: str) -> list[Hit]:
    if not ids:
        return []
    rows = db.session.scalars(
        select(OutcomeDocument)
        .where(OutcomeDocument.id.in_(ids))
        .options(joinedload(OutcomeDocument.congress))
    )
    return [Hit(d, _text(d, "title", lang), d.congress) for d in rows]


def _delegations(ids: list[int] | None, lang: str) -> list[Hit]:
    if not ids:
        return []
    rows = db.session.scalars(
        select(Delegation)
        .where(Delegation.id.in_(ids), Delegation.status == DelegationStatus.ACCREDITED)
        .options(joinedload(Delegation.congress))
    )
    return [Hit(d, delegation_name(d, lang), d.congress) for d in rows]


def _records(ids: list[int] | None, lang: str) -> list[Hit]:
    if not ids:
        return []
    rows = db.session.scalars(
        select(FollowUpRecord)
        .where(FollowUpRecord.id.in_(ids), FollowUpRecord.status == RecordStatus.PUBLISHED)
        .options(joinedload(FollowUpRecord.document).joinedload(OutcomeDocument.congress))
    )
    return [Hit(r, _text(r, "text", lang), r.document.congress) for r in rows]


def _first_passage(texts: list[str], terms: list[str]) -> list[tuple[str, bool]]:
    for text in texts:
        found = passage(text, terms)
        if found:
            return found
    return []


def _statements(ids: list[int] | None, lang: str, terms: list[str]) -> list[Hit]:
    if not ids:
        return []
    rows = db.session.scalars(
        select(DelegationStatement)
        .where(
            DelegationStatement.id.in_(ids),
            DelegationStatement.status == StatementStatus.PUBLISHED,
        )
        .options(
            joinedload(DelegationStatement.texts),
            joinedload(DelegationStatement.congress),
            joinedload(DelegationStatement.session),
            joinedload(DelegationStatement.delegation),
            joinedload(DelegationStatement.speaker),
        )
    ).unique()
    hits = []
    for statement in rows:
        # The text in the page's language first, then the original, then the others.
        texts = sorted(
            statement.texts, key=lambda t: (t.language != lang, t.language != statement.language)
        )
        name = delegation_name_on(statement.delegation, lang, statement_day(statement))
        hits.append(
            Hit(statement, name, statement.congress, _first_passage([t.text for t in texts], terms))
        )
    return hits


def _materials(ids: list[int] | None, lang: str, terms: list[str]) -> list[Hit]:
    if not ids:
        return []
    rows = db.session.scalars(
        select(SessionDocument)
        .where(SessionDocument.id.in_(ids))
        .options(joinedload(SessionDocument.session).joinedload(Session.congress))
    )
    hits = []
    for document in rows:
        if not programme_is_public(document.session.congress):
            continue
        title = _text(document, "title", lang)
        hits.append(
            Hit(
                document,
                title,
                document.session.congress,
                _first_passage([document.text, title], terms),
            )
        )
    return hits


def delegation_name(delegation: Delegation, lang: str) -> str:
    """A State's name as the congress's lists gave it, or the organisation's name."""
    if delegation.country_code:
        return country_name(delegation.country_code, lang, delegation.congress.start_date)
    return delegation.organisation_name or ""


def _countries(terms: list[str], lang: str) -> list[Hit]:
    """Countries by today's name in ``lang`` or the name they bore at a congress."""
    dates = tuple(sorted(set(db.session.scalars(select(Congress.start_date)))))
    hits = []
    for code, names in _country_names(lang, dates):
        if any(all(f" {term}" in name for term in terms) for name in names):
            hits.append(Hit(code, country_name(code, lang)))
    return hits


@cache
def _country_names(lang: str, dates: tuple) -> list[tuple[str, set[str]]]:
    return [
        (
            code,
            {" " + normalise(country_name(code, lang))}
            | {" " + normalise(country_name(code, lang, on)) for on in dates},
        )
        for code in states()
    ]
