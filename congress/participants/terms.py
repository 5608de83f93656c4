"""The vocabulary of a list of participants, in each of its seven languages.

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
- Arabic, Chinese and Russian titles follow the UN's lists of participants in
  those languages: "سعادة السيد", "Е. П. г-н"; Chinese has no prefix for "Mr."
  and writes the honorific after the name in running text ("王先生"), so the
  title column holds it as a word of its own ("先生", "阁下" for Excellencies);
- role headings have a singular and a plural: a delegation with two advisers
  lists them under "Advisers".
"""

from __future__ import annotations

from congress.registration.models import Category, DelegateRole, DelegationStatus, Title

TITLES: dict[Title, dict[str, str]] = {
    Title.HE_MR: {
        "en": "H.E. Mr.",
        "fr": "S.E. M.",
        "es": "S.E. Sr.",
        "pt": "S.Exa. Sr.",
        "ar": "سعادة السيد",
        "zh": "阁下",
        "ru": "Е. П. г-н",
    },
    Title.HE_MS: {
        "en": "H.E. Ms.",
        "fr": "S.E. Mme",
        "es": "S.E. Sra.",
        "pt": "S.Exa. Sra.",
        "ar": "سعادة السيدة",
        "zh": "阁下",
        "ru": "Е. П. г-жа",
    },
    Title.MR: {
        "en": "Mr.",
        "fr": "M.",
        "es": "Sr.",
        "pt": "Sr.",
        "ar": "السيد",
        "zh": "先生",
        "ru": "г-н",
    },
    Title.MS: {
        "en": "Ms.",
        "fr": "Mme",
        "es": "Sra.",
        "pt": "Sra.",
        "ar": "السيدة",
        "zh": "女士",
        "ru": "г-жа",
    },
    Title.DR: {
        "en": "Dr",
        "fr": "Dr",
        "es": "Dr.",
        "pt": "Dr.",
        "ar": "الدكتور",
        "zh": "博士",
        "ru": "д-р",
    },
    Title.PROF: {
        "en": "Prof.",
        "fr": "Pr",
        "es": "Prof.",
        "pt": "Prof.",
        "ar": "الأستاذ",
        "zh": "教授",
        "ru": "проф.",
    },
    Title.NONE: {"en": "", "fr": "", "es": "", "pt": "", "ar": "", "zh": "", "ru": ""},
}

GROUPS: dict[Category, dict[str, str]] = {
    Category.STATE: {
        "en": "States",
        "fr": "États",
        "es": "Estados",
        "pt": "Estados",
        "ar": "الدول",
        "zh": "国家",
        "ru": "Государства",
    },
    Category.UN_BODY: {
        "en": "United Nations bodies and specialized agencies",
        "fr": "Organes et institutions spécialisées des Nations Unies",
        "es": "Órganos y organismos especializados de las Naciones Unidas",
        "pt": "Órgãos e agências especializadas das Nações Unidas",
        "ar": "هيئات الأمم المتحدة ووكالاتها المتخصصة",
        "zh": "联合国机构和专门机构",
        "ru": "Органы и специализированные учреждения Организации Объединенных Наций",
    },
    Category.IGO: {
        "en": "Other intergovernmental organizations",
        "fr": "Autres organisations intergouvernementales",
        "es": "Otras organizaciones intergubernamentales",
        "pt": "Outras organizações intergovernamentais",
        "ar": "المنظمات الحكومية الدولية الأخرى",
        "zh": "其他政府间组织",
        "ru": "Другие межправительственные организации",
    },
    Category.NGO: {
        "en": "Non-governmental organizations",
        "fr": "Organisations non gouvernementales",
        "es": "Organizaciones no gubernamentales",
        "pt": "Organizações não governamentais",
        "ar": "المنظمات غير الحكومية",
        "zh": "非政府组织",
        "ru": "Неправительственные организации",
    },
    Category.PRIVATE_SECTOR: {
        "en": "Private sector",
        "fr": "Secteur privé",
        "es": "Sector privado",
        "pt": "Setor privado",
        "ar": "القطاع الخاص",
        "zh": "私营部门",
        "ru": "Частный сектор",
    },
    Category.CHILDREN_AND_YOUNG_PEOPLE: {
        "en": "Children and young people",
        "fr": "Enfants et jeunes",
        "es": "Niños, niñas y jóvenes",
        "pt": "Crianças e jovens",
        "ar": "الأطفال والشباب",
        "zh": "儿童和青年",
        "ru": "Дети и молодежь",
    },
    Category.MEDIA: {
        "en": "Media",
        "fr": "Médias",
        "es": "Medios de comunicación",
        "pt": "Meios de comunicação",
        "ar": "وسائط الإعلام",
        "zh": "媒体",
        "ru": "Средства массовой информации",
    },
}

# (singular, plural) per language.
ROLES: dict[DelegateRole, dict[str, tuple[str, str]]] = {
    DelegateRole.HEAD: {
        "en": ("Head of delegation", "Heads of delegation"),
        "fr": ("Chef de la délégation", "Chefs de la délégation"),
        "es": ("Jefe de la delegación", "Jefes de la delegación"),
        "pt": ("Chefe da delegação", "Chefes da delegação"),
        "ar": ("رئيس الوفد", "رؤساء الوفد"),
        "zh": ("代表团团长", "代表团团长"),
        "ru": ("Глава делегации", "Главы делегации"),
    },
    DelegateRole.DEPUTY_HEAD: {
        "en": ("Deputy head of delegation", "Deputy heads of delegation"),
        "fr": ("Chef adjoint de la délégation", "Chefs adjoints de la délégation"),
        "es": ("Jefe adjunto de la delegación", "Jefes adjuntos de la delegación"),
        "pt": ("Chefe adjunto da delegação", "Chefes adjuntos da delegação"),
        "ar": ("نائب رئيس الوفد", "نواب رئيس الوفد"),
        "zh": ("代表团副团长", "代表团副团长"),
        "ru": ("Заместитель главы делегации", "Заместители главы делегации"),
    },
    DelegateRole.REPRESENTATIVE: {
        "en": ("Representative", "Representatives"),
        "fr": ("Représentant", "Représentants"),
        "es": ("Representante", "Representantes"),
        "pt": ("Representante", "Representantes"),
        "ar": ("ممثل", "ممثلون"),
        "zh": ("代表", "代表"),
        "ru": ("Представитель", "Представители"),
    },
    DelegateRole.ALTERNATE: {
        "en": ("Alternate", "Alternates"),
        "fr": ("Suppléant", "Suppléants"),
        "es": ("Suplente", "Suplentes"),
        "pt": ("Suplente", "Suplentes"),
        "ar": ("ممثل مناوب", "ممثلون مناوبون"),
        "zh": ("副代表", "副代表"),
        "ru": ("Заместитель представителя", "Заместители представителя"),
    },
    DelegateRole.ADVISER: {
        "en": ("Adviser", "Advisers"),
        "fr": ("Conseiller", "Conseillers"),
        "es": ("Asesor", "Asesores"),
        "pt": ("Assessor", "Assessores"),
        "ar": ("مستشار", "مستشارون"),
        "zh": ("顾问", "顾问"),
        "ru": ("Советник", "Советники"),
    },
    DelegateRole.EXPERT: {
        "en": ("Expert", "Experts"),
        "fr": ("Expert", "Experts"),
        "es": ("Experto", "Expertos"),
        "pt": ("Especialista", "Especialistas"),
        "ar": ("خبير", "خبراء"),
        "zh": ("专家", "专家"),
        "ru": ("Эксперт", "Эксперты"),
    },
    DelegateRole.YOUTH_DELEGATE: {
        "en": ("Youth delegate", "Youth delegates"),
        "fr": ("Délégué de la jeunesse", "Délégués de la jeunesse"),
        "es": ("Delegado juvenil", "Delegados juveniles"),
        "pt": ("Delegado jovem", "Delegados jovens"),
        "ar": ("مندوب الشباب", "مندوبو الشباب"),
        "zh": ("青年代表", "青年代表"),
        "ru": ("Молодежный делегат", "Молодежные делегаты"),
    },
}

STATUSES: dict[DelegationStatus, dict[str, str]] = {
    DelegationStatus.DRAFT: {
        "en": "Draft",
        "fr": "Brouillon",
        "es": "Borrador",
        "pt": "Rascunho",
        "ar": "مسودة",
        "zh": "草稿",
        "ru": "Черновик",
    },
    DelegationStatus.SUBMITTED: {
        "en": "Submitted",
        "fr": "Soumise",
        "es": "Presentada",
        "pt": "Enviada",
        "ar": "مقدَّم",
        "zh": "已提交",
        "ru": "Представлена",
    },
    DelegationStatus.ACCREDITED: {
        "en": "Accredited",
        "fr": "Accréditée",
        "es": "Acreditada",
        "pt": "Credenciada",
        "ar": "معتمد",
        "zh": "已获认证",
        "ru": "Аккредитована",
    },
    DelegationStatus.REJECTED: {
        "en": "Rejected",
        "fr": "Refusée",
        "es": "Rechazada",
        "pt": "Recusada",
        "ar": "مرفوض",
        "zh": "已拒绝",
        "ru": "Отклонена",
    },
    DelegationStatus.WITHDRAWN: {
        "en": "Withdrawn",
        "fr": "Retirée",
        "es": "Retirada",
        "pt": "Retirada",
        "ar": "مسحوب",
        "zh": "已撤回",
        "ru": "Отозвана",
    },
}

WORDS: dict[str, dict[str, str]] = {
    # Between a name and its function: Arabic's comma "،", Chinese's full-width "，".
    "comma": {"en": ", ", "fr": ", ", "es": ", ", "pt": ", ", "ar": "، ", "zh": "，", "ru": ", "},
    "list_of_participants": {
        "en": "List of participants",
        "fr": "Liste des participants",
        "es": "Lista de participantes",
        "pt": "Lista de participantes",
        "ar": "قائمة المشاركين",
        "zh": "与会者名单",
        "ru": "Список участников",
    },
    "full_list": {
        "en": "Full list for the organizers (confidential)",
        "fr": "Liste complète pour les organisateurs (confidentiel)",
        "es": "Lista completa para los organizadores (confidencial)",
        "pt": "Lista completa para os organizadores (confidencial)",
        "ar": "القائمة الكاملة للمنظمين (سرية)",
        "zh": "组织者完整名单（机密）",
        "ru": "Полный список для организаторов (конфиденциально)",
    },
    "group": {
        "en": "Group",
        "fr": "Groupe",
        "es": "Grupo",
        "pt": "Grupo",
        "ar": "الفئة",
        "zh": "类别",
        "ru": "Группа",
    },
    "delegation": {
        "en": "Delegation",
        "fr": "Délégation",
        "es": "Delegación",
        "pt": "Delegação",
        "ar": "الوفد",
        "zh": "代表团",
        "ru": "Делегация",
    },
    "delegations": {
        "en": "Delegations",
        "fr": "Délégations",
        "es": "Delegaciones",
        "pt": "Delegações",
        "ar": "الوفود",
        "zh": "代表团",
        "ru": "Делегации",
    },
    "participants": {
        "en": "Participants",
        "fr": "Participants",
        "es": "Participantes",
        "pt": "Participantes",
        "ar": "المشاركون",
        "zh": "与会者",
        "ru": "Участники",
    },
    "total": {
        "en": "Total",
        "fr": "Total",
        "es": "Total",
        "pt": "Total",
        "ar": "المجموع",
        "zh": "共计",
        "ru": "Всего",
    },
    "role": {
        "en": "Role",
        "fr": "Rôle",
        "es": "Función en la delegación",
        "pt": "Função na delegação",
        "ar": "الصفة في الوفد",
        "zh": "在代表团中的职责",
        "ru": "Функция в делегации",
    },
    "title": {
        "en": "Title",
        "fr": "Titre",
        "es": "Tratamiento",
        "pt": "Tratamento",
        "ar": "اللقب",
        "zh": "称谓",
        "ru": "Обращение",
    },
    "given_names": {
        "en": "Given names",
        "fr": "Prénoms",
        "es": "Nombres",
        "pt": "Prenomes",
        "ar": "الاسم الأول",
        "zh": "名",
        "ru": "Имя",
    },
    "family_name": {
        "en": "Family name",
        "fr": "Nom",
        "es": "Apellidos",
        "pt": "Sobrenome",
        "ar": "اسم العائلة",
        "zh": "姓",
        "ru": "Фамилия",
    },
    "function": {
        "en": "Function",
        "fr": "Fonction",
        "es": "Cargo",
        "pt": "Cargo",
        "ar": "الوظيفة",
        "zh": "职务",
        "ru": "Должность",
    },
    "status": {
        "en": "Delegation status",
        "fr": "Statut de la délégation",
        "es": "Estado de la delegación",
        "pt": "Situação da delegação",
        "ar": "حالة الوفد",
        "zh": "代表团状态",
        "ru": "Статус делегации",
    },
    "email": {
        "en": "Email",
        "fr": "Courriel",
        "es": "Correo electrónico",
        "pt": "E-mail",
        "ar": "البريد الإلكتروني",
        "zh": "电子邮件",
        "ru": "Эл. почта",
    },
    "accessibility_needs": {
        "en": "Accessibility needs",
        "fr": "Besoins d'accessibilité",
        "es": "Necesidades de accesibilidad",
        "pt": "Necessidades de acessibilidade",
        "ar": "احتياجات إمكانية الوصول",
        "zh": "无障碍需求",
        "ru": "Особые потребности",
    },
    "consent": {
        "en": "Consents to publication",
        "fr": "Consent à la publication",
        "es": "Consiente en la publicación",
        "pt": "Consente na publicação",
        "ar": "يوافق على النشر",
        "zh": "同意公布",
        "ru": "Согласие на публикацию",
    },
    "no_consent": {
        "en": "not in the public list",
        "fr": "absent de la liste publique",
        "es": "fuera de la lista pública",
        "pt": "fora da lista pública",
        "ar": "غير مدرج في القائمة العامة",
        "zh": "不在公开名单中",
        "ru": "не в публичном списке",
    },
    "withdrawn": {
        "en": "Withdrawn",
        "fr": "Retiré",
        "es": "Retirado",
        "pt": "Retirado",
        "ar": "مسحوب",
        "zh": "已撤回",
        "ru": "Отозван",
    },
    "yes": {"en": "yes", "fr": "oui", "es": "sí", "pt": "sim", "ar": "نعم", "zh": "是", "ru": "да"},
    "no": {"en": "no", "fr": "non", "es": "no", "pt": "não", "ar": "لا", "zh": "否", "ru": "нет"},
    "page": {
        "en": "Page",
        "fr": "Page",
        "es": "Página",
        "pt": "Página",
        "ar": "الصفحة",
        "zh": "页",
        "ru": "Страница",
    },
}


def words(lang: str) -> dict[str, str]:
    """Every term of :data:`WORDS` in ``lang``, for templates: ``t.total``."""
    return {key: texts[lang] for key, texts in WORDS.items()}
