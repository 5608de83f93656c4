"""The list of participants as plain data: who is listed, in which order, how written.

The order is the UN's: groups in :class:`Category` order; within a group,
delegations by their name in the list's language (countries by the UN name of
the congress's time), collated; within a delegation, by :class:`DelegateRole`
order (head first), then family name as registered (particles count: "van der
Berg" sorts under V), then given names, collated.

Names are written UN style, the family name in capitals: ``family_name_caps``
upper-cases every word but leading particles written in lower case ("van der
Berg" → "van der BERG", "d'Almeida" → "d'ALMEIDA", "O'Brien" → "O'BRIEN"), with
Unicode's full case mapping (ß → SS, accents kept: "LEFÈVRE") and Greek written
without accents in capitals, as Greek typography does. Scripts without case
(Arabic, Chinese…) are left as typed.

The public list holds accredited delegations and, in them, the delegates who
consented to publication and have not withdrawn; it never carries emails or
accessibility needs. The full list (``full=True``), for organisers, holds every
delegation and delegate, marked.

Everything is read in two queries whatever the size of the congress, and
:func:`iter_delegations` holds one delegation's members at a time, so that the
CSV can stream a list of any length.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from itertools import chain

from sqlalchemy import Integer, String, bindparam, func, select, type_coerce
from sqlalchemy.dialects import postgresql

from congress.congresses.models import Congress
from congress.extensions import db
from congress.i18n import direction_of
from congress.i18n.collation import sort_key
from congress.i18n.countries import country_name
from congress.participants import terms
from congress.registration.models import (
    Category,
    Delegate,
    DelegateRole,
    Delegation,
    DelegationStatus,
)

CATEGORY_ORDER = {category: n for n, category in enumerate(Category)}

# Rows fetched from the database per round trip while a list streams.
BATCH = 1000


@dataclass(slots=True)
class ListedDelegate:
    """One line of the list. ``email``, ``accessibility_needs`` are empty in the public list."""

    id: int
    role: DelegateRole
    role_label: str  # singular: the CSV's cell
    role_heading: str  # singular or plural, shown before the first of a role; "" for the others
    title: str
    given_names: str
    family_name: str  # as registered
    family_name_caps: str  # as printed
    function: str
    email: str = ""
    accessibility_needs: str = ""
    consented: bool = True
    withdrawn: bool = False

    # The directions of ``<bdi dir>`` (congress.i18n.direction_of), read here rather than
    # through a template filter: the list's template runs this thousands of times.
    @property
    def name_dir(self) -> str:
        return direction_of(self.given_names + self.family_name)

    @property
    def function_dir(self) -> str:
        return direction_of(self.function)


@dataclass(slots=True)
class ListedDelegation:
    id: int
    category: Category
    name: str
    status: DelegationStatus
    status_label: str
    delegates: list[ListedDelegate] = field(default_factory=list)

    @property
    def name_dir(self) -> str:
        return direction_of(self.name)

    @property
    def counted(self) -> int:
        """Members counted as participants: the withdrawn are listed (full list), not counted."""
        return sum(1 for d in self.delegates if not d.withdrawn)


@dataclass(slots=True)
class Group:
    category: Category
    heading: str
    delegations: list[ListedDelegation] = field(default_factory=list)
    delegate_count: int = 0

    @property
    def delegation_count(self) -> int:
        return len(self.delegations)


@dataclass(slots=True)
class ParticipantList:
    congress: Congress
    lang: str
    full: bool
    groups: list[Group]

    @property
    def delegation_count(self) -> int:
        return sum(g.delegation_count for g in self.groups)

    @property
    def delegate_count(self) -> int:
        return sum(g.delegate_count for g in self.groups)


@dataclass(frozen=True, slots=True)
class GroupCount:
    category: Category
    heading: str
    delegations: int
    delegates: int


# Names ---------------------------------------------------------------------------------------

_ELIDED_PARTICLE = re.compile(r"^([a-z]{1,2}['’])(?=\w)")  # d'Almeida, l'Hôte
_GREEK_WITH_MARKS = re.compile(r"([\u0370-\u03ff\u1f00-\u1fff])([\u0300-\u036f]+)")
_DIALYTIKA = "\u0308"


def _upper(text: str) -> str:
    upper = text.upper()
    decomposed = unicodedata.normalize("NFD", upper)
    if not _GREEK_WITH_MARKS.search(decomposed):
        return upper
    # Greek capitals drop the tonos and breathings but keep the dialytika (Ϊ).
    stripped = _GREEK_WITH_MARKS.sub(
        lambda m: m[1] + (_DIALYTIKA if _DIALYTIKA in m[2] else ""), decomposed
    )
    return unicodedata.normalize("NFC", stripped)


@lru_cache(maxsize=20_000)
def family_name_caps(name: str) -> str:
    """The family name as a UN list prints it: capitals, leading lower-case particles kept."""
    words = name.split(" ")
    particles = 0
    # A particle is a word wholly in lower case ("van", "de", "dos"); the last word never is.
    while particles < len(words) - 1 and words[particles].islower():
        particles += 1
    rest = " ".join(words[particles:])
    elided = _ELIDED_PARTICLE.match(rest)
    rest = elided[1] + _upper(rest[elided.end() :]) if elided else _upper(rest)
    return " ".join([*words[:particles], rest])


# Queries -------------------------------------------------------------------------------------


def _delegation_name(
    category: Category, code: str | None, organisation: str | None, lang: str, on: date
) -> str:
    if category is Category.STATE and code:
        return country_name(code, lang, on=on)
    return organisation or ""


def _ordered_delegations(congress: Congress, lang: str, full: bool) -> list[tuple]:
    """``(id, category, name, status)`` of the listed delegations, in the list's order."""
    query = select(
        Delegation.id,
        Delegation.category,
        Delegation.country_code,
        Delegation.organisation_name,
        Delegation.status,
    ).where(Delegation.congress_id == congress.id)
    if not full:
        query = query.where(Delegation.status == DelegationStatus.ACCREDITED)
    heads = []
    for id_, category, code, organisation, status in db.session.execute(query):
        name = _delegation_name(category, code, organisation, lang, congress.start_date)
        order = (CATEGORY_ORDER[category], sort_key(name, lang), id_)
        heads.append((order, id_, category, name, status))
    heads.sort(key=lambda head: head[0])
    return [head[1:] for head in heads]


@cache
def _roles(lang: str) -> dict[str, tuple[int, DelegateRole, str, str]]:
    """Stored role → (rank, role, singular, plural) in ``lang``."""
    return {role.value: (n, role, *terms.ROLES[role][lang]) for n, role in enumerate(DelegateRole)}


@cache
def _titles(lang: str) -> dict[str, str]:
    """Stored title → the courtesy title in ``lang``."""
    return {title.value: labels[lang] for title, labels in terms.TITLES.items()}


def _ranks(ids: list[int]):
    """A table ``(delegation_id, rank)`` of ``ids`` in their order, from one bound value.

    One parameter whatever the number of delegations, and the same SQL every time:
    PostgreSQL unnests an array, SQLite reads a JSON array.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        array = bindparam("ranked_ids", ids, type_=postgresql.ARRAY(Integer))
        table = func.unnest(array).table_valued("delegation_id", with_ordinality="rank")
        return table.render_derived(name="ranks")
    table = func.json_each(bindparam("ranked_ids", json.dumps(ids))).table_valued("key", "value")
    ranks = table.alias("ranks")
    return select(ranks.c.value.label("delegation_id"), ranks.c.key.label("rank")).subquery("ranks")


def _delegates_query(congress: Congress, ids: list[int], full: bool):
    # Roles and titles come as their stored strings: a dictionary turns them into
    # the list's words faster than the enum type would into members.
    columns = [
        Delegate.delegation_id,
        Delegate.id,
        type_coerce(Delegate.role, String),
        type_coerce(Delegate.title, String),
        Delegate.given_names,
        Delegate.family_name,
        Delegate.function,
    ]
    if full:
        columns += [
            Delegate.email,
            Delegate.accessibility_needs,
            Delegate.public_consent,
            Delegate.withdrawn,
        ]
    # The database returns each delegation's members together, in the list's order of
    # delegations (collated in Python, handed over as ranks), so that the rows stream.
    ranks = _ranks(ids)
    query = (
        select(*columns)
        .select_from(ranks)
        .join(Delegate, Delegate.delegation_id == ranks.c.delegation_id)
        .where(Delegate.congress_id == congress.id)
        .order_by(ranks.c.rank, Delegate.id)
    )
    if not full:
        query = query.where(Delegate.public_consent.is_(True), Delegate.withdrawn.is_(False))
    return query


def _listed_members(rows: list, lang: str, full: bool) -> list[ListedDelegate]:
    """One delegation's rows (from :func:`_delegates_query`) as the list's lines, in order."""
    roles = _roles(lang)
    titles = _titles(lang)
    # Rows are (delegation_id, id, role, title, given_names, family_name, function, ...).
    rows.sort(key=lambda r: (roles[r[2]][0], sort_key(r[5], lang), sort_key(r[4], lang), r[1]))
    per_role = Counter(r[2] for r in rows)
    members = []
    previous = None
    for row in rows:
        # Slices of a row, rather than unpacking into a list: this loop runs once per person.
        _, id_, role_value, title, given_names, family_name, function = row[:7]
        _, role, singular, plural = roles[role_value]
        heading = ""
        if role_value != previous:
            heading = singular if per_role[role_value] == 1 else plural
        previous = role_value
        member = ListedDelegate(
            id=id_,
            role=role,
            role_label=singular,
            role_heading=heading,
            title=titles[title],
            given_names=given_names,
            family_name=family_name,
            family_name_caps=family_name_caps(family_name),
            function=function or "",
        )
        if full:
            email, needs, consented, withdrawn = row[7:]
            member.email = email
            member.accessibility_needs = needs or ""
            member.consented = consented
            member.withdrawn = withdrawn
        members.append(member)
    return members


def iter_delegations(
    congress: Congress, lang: str, *, full: bool = False, stream: bool = True
) -> Iterator[ListedDelegation]:
    """The listed delegations in order, each with its members in order, one at a time.

    ``stream`` reads the members BATCH rows at a time, for output that is sent as
    it is made; otherwise all at once (one round trip to a server), for a list built whole.
    """
    heads = _ordered_delegations(congress, lang, full)
    if not heads:
        return
    query = _delegates_query(congress, [head[0] for head in heads], full)
    # Core rows, without the ORM's per-row work: the list needs plain values.
    connection = db.session.connection()
    if stream:
        # BATCH rows per round trip (on PostgreSQL, a cursor on the server).
        query = query.execution_options(yield_per=BATCH)
        if connection.dialect.name == "postgresql":
            # Every row is read: plan the cursor for the whole result, not the first rows
            # (which, before the tables are analysed, means a sort per fetch).
            connection.exec_driver_sql("SET LOCAL cursor_tuple_fraction = 1.0")
    result = connection.execute(query)
    try:
        # Taken from the driver in batches: fewer calls than one per person.
        rows = chain.from_iterable(result.partitions(BATCH))
        pending = next(rows, None)
        for id_, category, name, status in heads:
            members = []
            # pending[0] is the row's delegation_id, read by position: faster, once per person.
            while pending is not None and pending[0] == id_:
                members.append(pending)
                pending = next(rows, None)
            yield ListedDelegation(
                id=id_,
                category=category,
                name=name,
                status=status,
                status_label=terms.STATUSES[status][lang],
                delegates=_listed_members(members, lang, full),
            )
    finally:
        result.close()


def build_list(congress: Congress, lang: str, *, full: bool = False) -> ParticipantList:
    """The whole list, grouped, with counts: for the HTML page and the PDF."""
    groups: dict[Category, Group] = {}
    # The page and the PDF hold the whole list anyway: read it in one round trip.
    for delegation in iter_delegations(congress, lang, full=full, stream=False):
        group = groups.get(delegation.category)
        if group is None:
            group = groups[delegation.category] = Group(
                delegation.category, terms.GROUPS[delegation.category][lang]
            )
        group.delegations.append(delegation)
        group.delegate_count += delegation.counted
    return ParticipantList(
        congress=congress,
        lang=lang,
        full=full,
        groups=[groups[c] for c in Category if c in groups],
    )


def participation(congress: Congress, lang: str) -> list[GroupCount]:
    """Delegations and delegates of the public list per group, in one query.

    The same rule as the public list: accredited delegations, and their delegates
    who consented and have not withdrawn. Groups with no delegation are left out.
    """
    listed = (
        (Delegate.delegation_id == Delegation.id)
        & Delegate.public_consent.is_(True)
        & Delegate.withdrawn.is_(False)
    )
    query = (
        select(
            Delegation.category,
            func.count(func.distinct(Delegation.id)),
            func.count(Delegate.id),
        )
        .select_from(Delegation)
        .outerjoin(Delegate, listed)
        .where(
            Delegation.congress_id == congress.id,
            Delegation.status == DelegationStatus.ACCREDITED,
        )
        .group_by(Delegation.category)
    )
    counts = {category: (d, p) for category, d, p in db.session.execute(query)}
    return [GroupCount(c, terms.GROUPS[c][lang], *counts[c]) for c in Category if c in counts]
