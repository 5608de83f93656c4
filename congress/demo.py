"""A synthetic congress for demonstrations and benchmarks.

Everything here is fictional and generated from a seed, so that the same
options always build the same data. It lives in its own congress, marked
``is_demo``, and never touches a real edition.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel import Locale
from sqlalchemy import delete, select

from congress.archive.models import Congress, CongressStatus
from congress.extensions import db
from congress.programme.models import Room, Session, SessionKind, Theme
from congress.registration.models import (
    Category,
    Delegate,
    DelegateRole,
    Delegation,
    DelegationStatus,
    Title,
)

DEMO_SLUG = "demo"

# Fictional people: given and family names drawn from several scripts and languages.
GIVEN_NAMES = [
    "Ana",
    "João",
    "Marie",
    "Amélie",
    "José",
    "Lucía",
    "Chiara",
    "Kwame",
    "Amina",
    "Ngozi",
    "Søren",
    "Ingrid",
    "Łucja",
    "Zoë",
    "Nguyễn Thị",
    "Ольга",
    "Дмитрий",
    "Ελένη",
    "Νίκος",
    "محمد",
    "فاطمة",
    "שרה",
    "अनीता",
    "राहुल",
    "美咲",
    "翔太",
    "伟",
    "秀英",
    "민준",
    "สมชาย",
]
FAMILY_NAMES = [
    "Silva",
    "Souza",
    "Dubois",
    "Lefèvre",
    "García",
    "Núñez",
    "Rossi",
    "Mensah",
    "Okafor",
    "Diallo",
    "Ødegård",
    "Kowalczyk",
    "O'Brien",
    "van der Berg",
    "Nguyễn",
    "Иванова",
    "Смирнов",
    "Παπαδοπούλου",
    "Γεωργίου",
    "العلي",
    "حداد",
    "כהן",
    "शर्मा",
    "山田",
    "佐藤",
    "王",
    "李",
    "김",
    "ศรีสุข",
    "Al-Hassan",
]
ORGANISATION_WORDS = [
    "Alliance",
    "Network",
    "Foundation",
    "Council",
    "Coalition",
    "Forum",
    "Institute",
    "Centre",
]
KINDS_BY_WEIGHT = [
    (SessionKind.WORKSHOP, 12),
    (SessionKind.THEMATIC_PANEL, 4),
    (SessionKind.SIDE_EVENT, 4),
    (SessionKind.PLENARY, 2),
    (SessionKind.HIGH_LEVEL_DIALOGUE, 1),
]
SLOT_MINUTES = 90
FIRST_SLOT = time(8, 30)


@dataclass(frozen=True)
class DemoSize:
    delegations: int = 170
    delegates: int = 3500
    sessions: int = 300
    rooms: int = 20
    days: int = 4
    seed: int = 2008


def country_codes() -> list[str]:
    """ISO 3166 codes of the territories CLDR names, without groupings and placeholders."""
    names = Locale("en").territories
    return sorted(
        c
        for c in names
        if len(c) == 2 and c.isalpha() and c not in {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"}
    )


def build_demo(size: DemoSize, progress: Callable[[int], None] = lambda n: None) -> Congress:
    """Replace the demo congress by a new one of ``size``; commit; return it."""
    existing = db.session.scalar(select(Congress).where(Congress.slug == DEMO_SLUG))
    if existing is not None:
        if not existing.is_demo:
            raise ValueError(f"congress {DEMO_SLUG!r} exists and is not a demo congress")
        db.session.execute(delete(Congress).where(Congress.id == existing.id))
        db.session.commit()

    rng = random.Random(size.seed)
    start = date(2027, 11, 23)
    congress = Congress(
        slug=DEMO_SLUG,
        ordinal=None,
        name={
            "en": "Demo congress (synthetic data)",
            "fr": "Congrès de démonstration (données fictives)",
            "es": "Congreso de demostración (datos ficticios)",
            "pt": "Congresso de demonstração (dados fictícios)",
        },
        city={
            "en": "Demo City",
            "fr": "Ville de démonstration",
            "es": "Ciudad de demostración",
            "pt": "Cidade de demonstração",
        },
        country_code="BR",
        venue="Demo Convention Centre",
        timezone="America/Sao_Paulo",
        start_date=start,
        end_date=start + timedelta(days=size.days - 1),
        status=CongressStatus.REGISTRATION_OPEN,
        is_demo=True,
    )
    db.session.add(congress)
    themes = [
        Theme(
            congress=congress,
            number=n,
            name={"en": f"Theme {n}", "fr": f"Thème {n}", "es": f"Tema {n}", "pt": f"Eixo {n}"},
        )
        for n in range(1, 6)
    ]
    rooms = [
        Room(
            congress=congress,
            position=n,
            capacity=rng.choice([40, 80, 150, 400]),
            name={
                "en": f"Room {n + 1}",
                "fr": f"Salle {n + 1}",
                "es": f"Sala {n + 1}",
                "pt": f"Sala {n + 1}",
            },
        )
        for n in range(size.rooms)
    ]
    db.session.add_all(themes + rooms)
    db.session.flush()

    _add_sessions(congress, size, rng, themes, rooms, progress)
    _add_delegations(congress, size, rng, progress)
    db.session.commit()
    return congress


def _add_sessions(congress, size, rng, themes, rooms, progress) -> None:
    zone = ZoneInfo(congress.timezone)
    slots_per_day = 8
    slots = [
        (day, room, slot)
        for day in range(size.days)
        for slot in range(slots_per_day)
        for room in rooms
    ]
    if size.sessions > len(slots):
        raise ValueError(
            f"{size.sessions} sessions do not fit in {len(rooms)} rooms over {size.days} days"
        )
    kinds = [k for k, weight in KINDS_BY_WEIGHT for _ in range(weight)]
    # Spread sessions over the days rather than filling the first day's rooms first.
    chosen = sorted(rng.sample(range(len(slots)), size.sessions))
    for n, index in enumerate(chosen):
        day, room, slot = slots[index]
        local_start = datetime.combine(congress.start_date + timedelta(days=day), FIRST_SLOT, zone)
        starts = local_start + timedelta(minutes=SLOT_MINUTES * slot)
        theme = rng.choice(themes)
        kind = rng.choice(kinds)
        db.session.add(
            Session(
                congress=congress,
                uid=f"demo-{size.seed}-{n}",
                kind=kind,
                theme=theme,
                room=room,
                title={
                    "en": f"Session {n + 1}: theme {theme.number}",
                    "fr": f"Séance {n + 1} : thème {theme.number}",
                    "es": f"Sesión {n + 1}: tema {theme.number}",
                    "pt": f"Sessão {n + 1}: eixo {theme.number}",
                },
                starts_at=starts,
                ends_at=starts + timedelta(minutes=SLOT_MINUTES - 15),
                working_languages=["en", rng.choice(["fr", "es", "pt"])],
            )
        )
        progress(1)


def _add_delegations(congress, size, rng, progress) -> None:
    countries = country_codes()
    rng.shuffle(countries)
    categories = [c for c in Category if c is not Category.STATE]
    statuses = [DelegationStatus.ACCREDITED] * 6 + [
        DelegationStatus.SUBMITTED,
        DelegationStatus.DRAFT,
    ]
    delegations = []
    for n in range(size.delegations):
        # Two in three delegations are States while countries last.
        if countries and n % 3 != 2:
            delegation = Delegation(category=Category.STATE, country_code=countries.pop())
        else:
            delegation = Delegation(
                category=rng.choice(categories),
                organisation_name=f"{rng.choice(FAMILY_NAMES)} {rng.choice(ORGANISATION_WORDS)}",
            )
        delegation.congress = congress
        delegation.status = rng.choice(statuses)
        delegations.append(delegation)
    db.session.add_all(delegations)
    db.session.flush()

    roles = list(DelegateRole)
    for n in range(size.delegates):
        delegation = delegations[n % len(delegations)]
        first = n < len(delegations)
        db.session.add(
            Delegate(
                delegation_id=delegation.id,
                congress_id=congress.id,
                title=rng.choice(list(Title)),
                given_names=rng.choice(GIVEN_NAMES),
                family_name=rng.choice(FAMILY_NAMES),
                function="Delegate",
                role=DelegateRole.HEAD if first else rng.choice(roles[1:]),
                email=f"delegate{n}@demo.invalid",
                preferred_language=rng.choice(["en", "fr", "es", "pt"]),
                public_consent=rng.random() < 0.9,
                token=f"demo{size.seed}x{n:06d}{rng.getrandbits(64):016x}",
            )
        )
        if n % 1000 == 999:
            db.session.flush()
        progress(1)
