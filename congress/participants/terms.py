"""The vocabulary of a list of participants, in each of its four languages.

A list of participants is a document in one language, like the UN's: its group
headings, role headings, courtesy titles, column headers and status words are
fixed terms of that language (UNTERM usage), not interface strings. They are kept
here as data, beside the country names of the time, so that a French list is
wholly French in HTML, CSV and PDF whatever the state of the interface's message
catalogues. The page around the list (links, buttons) uses gettext as usual.

Choices made here:
- courtesy titles follow UN usage per language: "H.E. Mr." / "S.E. M." /
  "S.E. Sr." / "S.Exa. Sr."; French writes "Dr" and "Pr" without a full stop
  (abbreviations that end with the word's last letter), Spanish and Portuguese
  "Dr." and "Prof.";
- English follows UN spelling ("organizations");
- role headings have a singular and a plural: a delegation with two advisers
  lists them under "Advisers".
"""

from __future__ import annotations

from congress.registration.models import Category, DelegateRole, DelegationStatus, Title

TITLES: dict[Title, dict[str, str]] = {
    Title.HE_MR: {"en": "H.E. Mr.", "fr": "S.E. M.", "es": "S.E. Sr.", "pt": "S.Exa. Sr."},
    Title.HE_MS: {"en": "H.E. Ms.", "fr": "S.E. Mme", "es": "S.E. Sra.", "pt": "S.Exa. Sra."},
    Title.MR: {"en": "Mr.", "fr": "M.", "es": "Sr.", "pt": "Sr."},
    Title.MS: {"en": "Ms.", "fr": "Mme", "es": "Sra.", "pt": "Sra."},
    Title.DR: {"en": "Dr", "fr": "Dr", "es": "Dr.", "pt": "Dr."},
    Title.PROF: {"en": "Prof.", "fr": "Pr", "es": "Prof.", "pt": "Prof."},
    Title.NONE: {"en": "", "fr": "", "es": "", "pt": ""},
}

GROUPS: dict[Category, dict[str, str]] = {
    Category.STATE: {"en": "States", "fr": "États", "es": "Estados", "pt": "Estados"},
    Category.UN_BODY: {
        "en": "United Nations bodies and specialized agencies",
        "fr": "Organes et institutions spécialisées des Nations Unies",
        "es": "Órganos y organismos especializados de las Naciones Unidas",
        "pt": "Órgãos e agências especializadas das Nações Unidas",
    },
    Category.IGO: {
        "en": "Other intergovernmental organizations",
        "fr": "Autres organisations intergouvernementales",
        "es": "Otras organizaciones intergubernamentales",
        "pt": "Outras organizações intergovernamentais",
    },
    Category.NGO: {
        "en": "Non-governmental organizations",
        "fr": "Organisations non gouvernementales",
        "es": "Organizaciones no gubernamentales",
        "pt": "Organizações não governamentais",
    },
    Category.PRIVATE_SECTOR: {
        "en": "Private sector",
        "fr": "Secteur privé",
        "es": "Sector privado",
        "pt": "Setor privado",
    },
    Category.CHILDREN_AND_YOUNG_PEOPLE: {
        "en": "Children and young people",
        "fr": "Enfants et jeunes",
        "es": "Niños, niñas y jóvenes",
        "pt": "Crianças e jovens",
    },
    Category.MEDIA: {
        "en": "Media",
        "fr": "Médias",
        "es": "Medios de comunicación",
        "pt": "Meios de comunicação",
    },
}

# (singular, plural) per language.
ROLES: dict[DelegateRole, dict[str, tuple[str, str]]] = {
    DelegateRole.HEAD: {
        "en": ("Head of delegation", "Heads of delegation"),
        "fr": ("Chef de la délégation", "Chefs de la délégation"),
        "es": ("Jefe de la delegación", "Jefes de la delegación"),
        "pt": ("Chefe da delegação", "Chefes da delegação"),
    },
    DelegateRole.DEPUTY_HEAD: {
        "en": ("Deputy head of delegation", "Deputy heads of delegation"),
        "fr": ("Chef adjoint de la délégation", "Chefs adjoints de la délégation"),
        "es": ("Jefe adjunto de la delegación", "Jefes adjuntos de la delegación"),
        "pt": ("Chefe adjunto da delegação", "Chefes adjuntos da delegação"),
    },
    DelegateRole.REPRESENTATIVE: {
        "en": ("Representative", "Representatives"),
        "fr": ("Représentant", "Représentants"),
        "es": ("Representante", "Representantes"),
        "pt": ("Representante", "Representantes"),
    },
    DelegateRole.ALTERNATE: {
        "en": ("Alternate", "Alternates"),
        "fr": ("Suppléant", "Suppléants"),
        "es": ("Suplente", "Suplentes"),
        "pt": ("Suplente", "Suplentes"),
    },
    DelegateRole.ADVISER: {
        "en": ("Adviser", "Advisers"),
        "fr": ("Conseiller", "Conseillers"),
        "es": ("Asesor", "Asesores"),
        "pt": ("Assessor", "Assessores"),
    },
    DelegateRole.EXPERT: {
        "en": ("Expert", "Experts"),
        "fr": ("Expert", "Experts"),
        "es": ("Experto", "Expertos"),
        "pt": ("Especialista", "Especialistas"),
    },
    DelegateRole.YOUTH_DELEGATE: {
        "en": ("Youth delegate", "Youth delegates"),
        "fr": ("Délégué de la jeunesse", "Délégués de la jeunesse"),
        "es": ("Delegado juvenil", "Delegados juveniles"),
        "pt": ("Delegado jovem", "Delegados jovens"),
    },
}

STATUSES: dict[DelegationStatus, dict[str, str]] = {
    DelegationStatus.DRAFT: {"en": "Draft", "fr": "Brouillon", "es": "Borrador", "pt": "Rascunho"},
    DelegationStatus.SUBMITTED: {
        "en": "Submitted",
        "fr": "Soumise",
        "es": "Presentada",
        "pt": "Enviada",
    },
    DelegationStatus.ACCREDITED: {
        "en": "Accredited",
        "fr": "Accréditée",
        "es": "Acreditada",
        "pt": "Credenciada",
    },
    DelegationStatus.REJECTED: {
        "en": "Rejected",
        "fr": "Refusée",
        "es": "Rechazada",
        "pt": "Recusada",
    },
    DelegationStatus.WITHDRAWN: {
        "en": "Withdrawn",
        "fr": "Retirée",
        "es": "Retirada",
        "pt": "Retirada",
    },
}

WORDS: dict[str, dict[str, str]] = {
    "list_of_participants": {
        "en": "List of participants",
        "fr": "Liste des participants",
        "es": "Lista de participantes",
        "pt": "Lista de participantes",
    },
    "full_list": {
        "en": "Full list for the organizers (confidential)",
        "fr": "Liste complète pour les organisateurs (confidentiel)",
        "es": "Lista completa para los organizadores (confidencial)",
        "pt": "Lista completa para os organizadores (confidencial)",
    },
    "group": {"en": "Group", "fr": "Groupe", "es": "Grupo", "pt": "Grupo"},
    "delegation": {"en": "Delegation", "fr": "Délégation", "es": "Delegación", "pt": "Delegação"},
    "delegations": {
        "en": "Delegations",
        "fr": "Délégations",
        "es": "Delegaciones",
        "pt": "Delegações",
    },
    "participants": {
        "en": "Participants",
        "fr": "Participants",
        "es": "Participantes",
        "pt": "Participantes",
    },
    "total": {"en": "Total", "fr": "Total", "es": "Total", "pt": "Total"},
    "role": {
        "en": "Role",
        "fr": "Rôle",
        "es": "Función en la delegación",
        "pt": "Função na delegação",
    },
    "title": {"en": "Title", "fr": "Titre", "es": "Tratamiento", "pt": "Tratamento"},
    "given_names": {"en": "Given names", "fr": "Prénoms", "es": "Nombres", "pt": "Prenomes"},
    "family_name": {"en": "Family name", "fr": "Nom", "es": "Apellidos", "pt": "Sobrenome"},
    "function": {"en": "Function", "fr": "Fonction", "es": "Cargo", "pt": "Cargo"},
    "status": {
        "en": "Delegation status",
        "fr": "Statut de la délégation",
        "es": "Estado de la delegación",
        "pt": "Situação da delegação",
    },
    "email": {"en": "Email", "fr": "Courriel", "es": "Correo electrónico", "pt": "E-mail"},
    "accessibility_needs": {
        "en": "Accessibility needs",
        "fr": "Besoins d'accessibilité",
        "es": "Necesidades de accesibilidad",
        "pt": "Necessidades de acessibilidade",
    },
    "consent": {
        "en": "Consents to publication",
        "fr": "Consent à la publication",
        "es": "Consiente en la publicación",
        "pt": "Consente na publicação",
    },
    "no_consent": {
        "en": "not in the public list",
        "fr": "absent de la liste publique",
        "es": "fuera de la lista pública",
        "pt": "fora da lista pública",
    },
    "withdrawn": {"en": "Withdrawn", "fr": "Retiré", "es": "Retirado", "pt": "Retirado"},
    "yes": {"en": "yes", "fr": "oui", "es": "sí", "pt": "sim"},
    "no": {"en": "no", "fr": "non", "es": "no", "pt": "não"},
    "page": {"en": "Page", "fr": "Page", "es": "Página", "pt": "Página"},
}


def words(lang: str) -> dict[str, str]:
    """Every term of :data:`WORDS` in ``lang``, for templates: ``t.total``."""
    return {key: texts[lang] for key, texts in WORDS.items()}
