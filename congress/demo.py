"""A synthetic congress for demonstrations and benchmarks.

Everything here is fictional and generated from a seed, so that the same
options always build the same data. It lives in its own congress, marked
``is_demo``, and never touches a real edition.

Besides its delegations and programme, the demo holds what the pages and feeds
show once a congress is running: registration open (drafts a focal point may
still fill in), chairs and speakers, and personal agendas of delegates with
their calendar feeds. Rows nobody edits one by one (delegates, speakers,
agendas) are inserted in bulk, so that the ten-times data set builds in seconds.

And what follows a congress: a declaration adopted by its accredited States, and
follow-up records of what they did in the years after it (``is_synthetic``, so that
every page that shows one says it is made up), for the country pages, the
declaration's chart and the monitoring reports to be measured at size.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select

from congress.archive.models import OutcomeDocument, Reliability
from congress.congresses.models import Congress, CongressStatus
from congress.declarations.models import Commitment, CommitmentKind
from congress.extensions import db
from congress.i18n.countries import states_on
from congress.monitoring.areas import areas_of
from congress.monitoring.models import FollowUpRecord, RecordKind, RecordStatus, Revision
from congress.monitoring.operations import values as record_values
from congress.programme.models import (
    Agenda,
    AgendaEntry,
    Room,
    Session,
    SessionKind,
    SessionPerson,
    SessionRole,
    Theme,
)
from congress.registration.models import (
    Category,
    Delegate,
    DelegateRole,
    Delegation,
    DelegationStatus,
    Title,
)
from congress.statements.models import DelegationStatement, StatementStatus, StatementText

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
# Registration opened long ago and has no closing date, so the demo's drafts stay editable.
REGISTRATION_OPENS = datetime(2025, 1, 1, tzinfo=UTC)
# One delegate in this many (of accredited delegations) keeps a personal agenda.
AGENDA_EVERY = 10
AGENDA_SESSIONS = (3, 12)
# Speakers per session besides its chair; one in five is a person the organisers named.
SPEAKERS = (0, 3)
NAMED_SPEAKER_SHARE = 0.2
# Rows per INSERT of the bulk inserts.
CHUNK = 5000
SLOTS_PER_DAY = 8
# Real session descriptions run to about 1,200 characters: the demo's do too, so that feeds
# and pages are measured at the size they have in use. Each is in English and in the
# session's second working language, made of the sentences below in an order drawn from the
# seed, and opens by saying it is made up.
DESCRIPTION_LENGTH = 1200
DESCRIPTION_OPENING = {
    "en": "Synthetic description of a demo session.",
    "fr": "Description fictive d'une séance de démonstration.",
    "es": "Descripción ficticia de una sesión de demostración.",
    "pt": "Descrição fictícia de uma sessão de demonstração.",
}
DESCRIPTION_SENTENCES = {
    "en": (
        "The panel reviews what governments reported since the last congress.",
        "Speakers compare national action plans and the resources set aside for them.",
        "Participants discuss how hotlines, police and social services share cases.",
        "The session looks at the protection of children online and the role of industry.",
        "Young people's organisations present what they asked of their governments.",
        "Delegations are invited to describe one measure that worked and one that did not.",
        "The chair closes with the points the drafting committee is asked to consider.",
        "Interpretation is provided in the congress's working languages.",
    ),
    "fr": (
        "Le panel examine ce que les gouvernements ont rapporté depuis le dernier congrès.",
        "Les intervenants comparent les plans d'action nationaux et leurs moyens.",
        "Les participants débattent de la manière dont lignes d'écoute, police et services "
        "sociaux se transmettent les cas.",
        "La séance porte sur la protection des enfants en ligne et le rôle des entreprises.",
        "Des organisations de jeunes présentent ce qu'elles ont demandé à leurs gouvernements.",
        "Les délégations décrivent une mesure qui a fonctionné et une qui a échoué.",
        "La présidence conclut par les points soumis au comité de rédaction.",
        "L'interprétation est assurée dans les langues de travail du congrès.",
    ),
    "es": (
        "El panel examina lo que los gobiernos han informado desde el último congreso.",
        "Los oradores comparan los planes de acción nacionales y sus recursos.",
        "Los participantes debaten cómo las líneas de ayuda, la policía y los servicios "
        "sociales se transmiten los casos.",
        "La sesión trata de la protección de los niños en línea y del papel de la industria.",
        "Organizaciones juveniles presentan lo que pidieron a sus gobiernos.",
        "Las delegaciones describen una medida que funcionó y otra que no.",
        "La presidencia concluye con los puntos que se someten al comité de redacción.",
        "Se ofrece interpretación en los idiomas de trabajo del congreso.",
    ),
    "pt": (
        "O painel examina o que os governos relataram desde o último congresso.",
        "Os palestrantes comparam os planos de ação nacionais e os seus recursos.",
        "Os participantes discutem como linhas de denúncia, polícia e serviços sociais "
        "compartilham os casos.",
        "A sessão trata da proteção das crianças na internet e do papel da indústria.",
        "Organizações de jovens apresentam o que pediram aos seus governos.",
        "As delegações descrevem uma medida que funcionou e outra que não.",
        "A presidência conclui com os pontos submetidos ao comitê de redação.",
        "Há interpretação nos idiomas de trabalho do congresso.",
    ),
}
# Statements per session (from, to), by accredited delegations, each in one of the site's
# languages; one in two also in a second, the same sentences translated.
STATEMENTS_PER_SESSION = (0, 3)
STATEMENT_OPENING = {
    "en": "Synthetic statement, made up for the demo congress: no delegation delivered it.",
    "fr": "Déclaration fictive, inventée pour le congrès de démonstration : aucune délégation "
    "ne l'a prononcée.",
    "es": "Declaración ficticia, inventada para el congreso de demostración: ninguna "
    "delegación la pronunció.",
    "pt": "Declaração fictícia, inventada para o congresso de demonstração: nenhuma delegação "
    "a proferiu.",
}
# The demo's declaration, whose areas of action are in data/areas/demo.demo-declaration.toml.
DEMO_DOCUMENT = "demo-declaration"
# Follow-up records per delegation, spread over the States, dated in the years after.
RECORDS_PER_DELEGATION = 6
FOLLOW_UP_YEARS = 8
# The smallest demo that builds: delegates need a delegation to belong to, sessions a
# room, and a congress lasts a day at least.
MINIMUM = {"delegations": 1, "delegates": 0, "sessions": 0, "rooms": 1, "days": 1}


@dataclass(frozen=True)
class DemoSize:
    delegations: int = 170
    delegates: int = 3500
    sessions: int = 300
    rooms: int = 20
    days: int = 4
    seed: int = 2008

    def __post_init__(self) -> None:
        # Checked before anything is built: a demo that cannot be built must not replace
        # the one that exists.
        for name, least in MINIMUM.items():
            if getattr(self, name) < least:
                raise ValueError(f"{name} must be at least {least}, not {getattr(self, name)}")
        if self.sessions > self.rooms * self.days * SLOTS_PER_DAY:
            raise ValueError(
                f"{self.sessions} sessions do not fit in {self.rooms} rooms over {self.days} "
                f"days ({SLOTS_PER_DAY} a day in each room)"
            )


def build_demo(size: DemoSize, progress: Callable[[int], None] = lambda n: None) -> Congress:
    """Replace the demo congress by a new one of ``size``; commit; return it."""
    existing = db.session.scalar(select(Congress).where(Congress.slug == DEMO_SLUG))
    if existing is not None:
        if not existing.is_demo:
            raise ValueError(f"congress {DEMO_SLUG!r} exists and is not a demo congress")
        _remove(existing.id)
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
        registration_opens_at=REGISTRATION_OPENS,
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

    session_ids = _add_sessions(congress, size, rng, themes, rooms, progress)
    listed = _add_delegations(congress, size, rng, progress)
    _add_people(session_ids, listed, rng)
    _add_agendas(congress, size, session_ids, listed, rng)
    _add_follow_up(congress, size, rng)
    _add_statements(congress, size, session_ids)
    db.session.commit()
    return congress


def _remove(congress_id: int) -> None:
    """Delete a demo congress, the rows that point at its delegates and sessions first.

    The database would cascade from the congress alone, but it then looks for what
    points at each deleted delegate and session one row at a time, through columns
    without an index of their own: minutes at ten times the Rio scale on PostgreSQL.
    """
    agendas = select(Agenda.id).where(Agenda.congress_id == congress_id)
    sessions = select(Session.id).where(Session.congress_id == congress_id)
    db.session.execute(delete(AgendaEntry).where(AgendaEntry.agenda_id.in_(agendas)))
    db.session.execute(delete(AgendaEntry).where(AgendaEntry.session_id.in_(sessions)))
    db.session.execute(delete(Agenda).where(Agenda.congress_id == congress_id))
    db.session.execute(delete(SessionPerson).where(SessionPerson.session_id.in_(sessions)))
    statements = select(DelegationStatement.id).where(
        DelegationStatement.congress_id == congress_id
    )
    db.session.execute(delete(StatementText).where(StatementText.statement_id.in_(statements)))
    db.session.execute(
        delete(DelegationStatement).where(DelegationStatement.congress_id == congress_id)
    )
    db.session.execute(delete(Congress).where(Congress.id == congress_id))


def _insert(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model), rows[start : start + CHUNK])


def _add_sessions(congress, size, rng, themes, rooms, progress) -> list[int]:
    """The programme, through the ORM so that the search index follows; the sessions' ids."""
    zone = ZoneInfo(congress.timezone)
    slots = [
        (day, room, slot)
        for day in range(size.days)
        for slot in range(SLOTS_PER_DAY)
        for room in rooms
    ]
    kinds = [k for k, weight in KINDS_BY_WEIGHT for _ in range(weight)]
    # Spread sessions over the days rather than filling the first day's rooms first.
    chosen = sorted(rng.sample(range(len(slots)), size.sessions))
    # Descriptions draw from a generator of their own, so the rest of the data stays what
    # the same seed gave before they had any.
    words = random.Random(f"{size.seed}-descriptions")
    sessions = []
    for n, index in enumerate(chosen):
        day, room, slot = slots[index]
        local_start = datetime.combine(congress.start_date + timedelta(days=day), FIRST_SLOT, zone)
        starts = local_start + timedelta(minutes=SLOT_MINUTES * slot)
        theme = rng.choice(themes)
        kind = rng.choice(kinds)
        languages = ["en", rng.choice(["fr", "es", "pt"])]
        sessions.append(
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
                description=_description(words, languages),
                starts_at=starts,
                ends_at=starts + timedelta(minutes=SLOT_MINUTES - 15),
                working_languages=languages,
            )
        )
        progress(1)
    db.session.add_all(sessions)
    db.session.flush()
    return [session.id for session in sessions]


def _description(words: random.Random, languages: list[str]) -> dict[str, str]:
    """About :data:`DESCRIPTION_LENGTH` characters of made-up text in each of ``languages``."""
    order: list[int] = []
    text = {}
    for lang in languages:
        sentences = DESCRIPTION_SENTENCES[lang]
        parts = [DESCRIPTION_OPENING[lang]]
        length = len(parts[0])
        n = 0
        while length < DESCRIPTION_LENGTH:
            # The same order of sentences in every language: they translate one another.
            if n == len(order):
                order.append(words.randrange(len(sentences)))
            parts.append(sentences[order[n]])
            length += len(parts[-1]) + 1
            n += 1
        text[lang] = " ".join(parts)
    return text


def _add_delegations(congress, size, rng, progress) -> list[int]:
    """Delegations and their members; the ids of the members a public page may name.

    Those are the consenting, not withdrawn members of accredited delegations.
    """
    # The States of the congress's first day, in a fixed order for the seed to shuffle.
    countries = sorted(states_on(congress.start_date))
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
    titles = list(Title)
    rows, public = [], []
    for n in range(size.delegates):
        delegation = delegations[n % len(delegations)]
        first = n < len(delegations)
        row = {
            "delegation_id": delegation.id,
            "congress_id": congress.id,
            "title": rng.choice(titles),
            "given_names": rng.choice(GIVEN_NAMES),
            "family_name": rng.choice(FAMILY_NAMES),
            "function": "Delegate",
            "role": DelegateRole.HEAD if first else rng.choice(roles[1:]),
            "email": f"delegate{n}@demo.invalid",
            "preferred_language": rng.choice(["en", "fr", "es", "pt"]),
            "public_consent": rng.random() < 0.9,
            # A few left their delegation after registering.
            "withdrawn": not first and rng.random() < 0.01,
            "token": f"demo{size.seed}x{n:06d}{rng.getrandbits(64):016x}",
        }
        rows.append(row)
        if (
            delegation.status is DelegationStatus.ACCREDITED
            and row["public_consent"]
            and not row["withdrawn"]
        ):
            public.append(row["email"])
        progress(1)
    _insert(Delegate, rows)
    ids = dict(
        db.session.execute(
            select(Delegate.email, Delegate.id).where(Delegate.congress_id == congress.id)
        ).all()
    )
    return [ids[email] for email in public]


def _add_people(session_ids: list[int], listed: list[int], rng) -> None:
    """A chair for every session and a few speakers: delegates of the public list, or named."""
    rows = []
    for session_id in session_ids:
        count = 1 + rng.randint(*SPEAKERS)
        for position in range(count):
            role = SessionRole.CHAIR if position == 0 else SessionRole.SPEAKER
            if listed and rng.random() >= NAMED_SPEAKER_SHARE:
                person = {"delegate_id": rng.choice(listed), "name": None}
            else:
                name = f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}"
                person = {"delegate_id": None, "name": name}
            rows.append({"session_id": session_id, "role": role, "position": position, **person})
    _insert(SessionPerson, rows)


def _add_agendas(congress, size, session_ids: list[int], listed: list[int], rng) -> None:
    """Personal agendas of one listed delegate in ``AGENDA_EVERY``, each with its feed."""
    owners = listed[::AGENDA_EVERY]
    agendas = [
        {
            "congress_id": congress.id,
            "delegate_id": delegate_id,
            "feed_token": f"demo{size.seed}f{n:06d}{rng.getrandbits(64):016x}",
        }
        for n, delegate_id in enumerate(owners)
    ]
    _insert(Agenda, agendas)
    ids = dict(
        db.session.execute(
            select(Agenda.delegate_id, Agenda.id).where(Agenda.congress_id == congress.id)
        ).all()
    )
    entries = []
    for delegate_id in owners:
        count = min(len(session_ids), rng.randint(*AGENDA_SESSIONS))
        entries += [
            {"agenda_id": ids[delegate_id], "session_id": session_id}
            for session_id in sorted(rng.sample(session_ids, count))
        ]
    _insert(AgendaEntry, entries)


def _add_follow_up(congress, size, rng) -> None:
    """The declaration, adopted by the accredited States, and their synthetic follow-up.

    Records go through the ORM so that the search index follows, as the programme does;
    each has the one revision a published record has, inserted in bulk.
    """
    end = congress.end_date
    document = OutcomeDocument(
        congress=congress,
        slug=DEMO_DOCUMENT,
        title={
            "en": "Demo Declaration (synthetic)",
            "fr": "Déclaration de démonstration (fictive)",
            "es": "Declaración de demostración (ficticia)",
            "pt": "Declaração de demonstração (fictícia)",
        },
        adopted_on=end,
        source="Synthetic: made up for the demo congress",
    )
    db.session.add(document)
    db.session.flush()
    states = db.session.execute(
        select(Delegation.country_code, Delegation.id)
        .where(
            Delegation.congress_id == congress.id,
            Delegation.category == Category.STATE,
            Delegation.status == DelegationStatus.ACCREDITED,
        )
        .order_by(Delegation.country_code)
    ).all()
    _insert(
        Commitment,
        [
            {
                "document_id": document.id,
                "country_code": code,
                "kind": CommitmentKind.ADOPTED,
                "on": end,
                "delegation_id": delegation_id,
            }
            for code, delegation_id in states
        ],
    )
    if not states:
        return
    areas = [a.key for a in areas_of(congress.slug, DEMO_DOCUMENT).areas] + [None]
    kinds = list(RecordKind)
    records = []
    for n in range(size.delegations * RECORDS_PER_DELEGATION):
        on = end + timedelta(days=rng.randint(30, 365 * FOLLOW_UP_YEARS))
        records.append(
            FollowUpRecord(
                country_code=rng.choice(states)[0],
                document=document,
                area=rng.choice(areas),
                on=on,
                kind=rng.choice(kinds),
                text={
                    "en": f"Synthetic record {n + 1}, made up for the demo congress.",
                    "fr": f"Enregistrement fictif {n + 1}, inventé pour la démonstration.",
                    "es": f"Registro ficticio {n + 1}, inventado para el congreso de demostración.",
                    "pt": f"Registro fictício {n + 1}, inventado para o congresso de demonstração.",
                },
                source="Synthetic: made up for the demo congress",
                reliability=Reliability.ILLUSTRATIVE,
                organisation="Demo Monitoring Network (synthetic)",
                status=RecordStatus.PUBLISHED,
                is_synthetic=True,
                published_at=datetime.combine(on, time(12), UTC),
            )
        )
    db.session.add_all(records)
    db.session.flush()
    _insert(
        Revision,
        [
            {
                "record_id": record.id,
                "number": 1,
                "at": record.published_at,
                "step": "published",
                "values": record_values(record),
            }
            for record in records
        ],
    )


def _add_statements(congress, size, session_ids: list[int]) -> None:
    """Synthetic statements, marked as such, by the accredited delegations' consenting members.

    Drawn from a random generator of their own, so that the rest of a seed's data stays as it
    was without them; through the ORM so that the search index follows.
    """
    words = random.Random(f"{size.seed}-statements")
    speakers = db.session.execute(
        select(Delegate.delegation_id, Delegate.id)
        .join(Delegate.delegation)
        .where(
            Delegate.congress_id == congress.id,
            Delegation.status == DelegationStatus.ACCREDITED,
            Delegate.public_consent.is_(True),
            Delegate.withdrawn.is_(False),
        )
        .order_by(Delegate.delegation_id, Delegate.id)
    ).all()
    first_speaker: dict[int, int] = {}
    for delegation_id, delegate_id in speakers:
        first_speaker.setdefault(delegation_id, delegate_id)
    delegations = sorted(first_speaker)
    if not delegations:
        return
    languages = list(STATEMENT_OPENING)
    statements = []
    for session_id in session_ids:
        count = words.randint(*STATEMENTS_PER_SESSION)
        chosen = words.sample(delegations, min(count, len(delegations)))
        for position, delegation_id in enumerate(chosen, start=1):
            language = words.choice(languages)
            order = [words.randrange(len(DESCRIPTION_SENTENCES["en"])) for _ in range(3)]
            texts = [language]
            if words.random() < 0.5:
                texts.append(words.choice([lang for lang in languages if lang != language]))
            statements.append(
                DelegationStatement(
                    congress_id=congress.id,
                    session_id=session_id,
                    delegation_id=delegation_id,
                    speaker_id=first_speaker[delegation_id],
                    language=language,
                    status=StatementStatus.PUBLISHED,
                    position=position,
                    synthetic=True,
                    published_at=REGISTRATION_OPENS,
                    texts=[
                        StatementText(
                            language=lang,
                            text=" ".join(
                                [
                                    STATEMENT_OPENING[lang],
                                    *(DESCRIPTION_SENTENCES[lang][i] for i in order),
                                ]
                            ),
                        )
                        for lang in texts
                    ],
                )
            )
    db.session.add_all(statements)
    db.session.flush()
