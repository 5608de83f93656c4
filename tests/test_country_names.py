"""States by the UN's names of the day: names, choices, registration, lists and pages.

Three days stand for three eras: Stockholm's first day (1996), Rio's (2008) and a
congress of 2027, which has today's names.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from congress.congresses.models import Congress, CongressStatus
from congress.declarations import rules as declarations
from congress.declarations.models import CommitmentKind
from congress.extensions import db
from congress.i18n.countries import (
    country_choices,
    country_name,
    country_name_in_text,
    is_country,
    states_on,
)
from congress.participants.rules import build_list
from congress.registration import operations
from congress.registration.models import Category, Delegation
from congress.registration.rules import DelegationDetails, RegistrationError
from tests.declarations_support import document
from tests.participants_support import add_delegate, add_delegation
from tests.registration_support import make_congress, make_user

STOCKHOLM = date(1996, 8, 27)
YOKOHAMA = date(2001, 12, 17)
RIO = date(2008, 11, 25)
LATER = date(2027, 11, 23)
DAYS = {1996: STOCKHOLM, 2008: RIO, 2027: LATER}

# code: {years: (en, fr, es, pt)}; a State absent from a year did not exist then.
NAMES = {
    "BR": {(1996, 2008, 2027): ("Brazil", "Brésil", "Brasil", "Brasil")},
    "SE": {(1996, 2008, 2027): ("Sweden", "Suède", "Suecia", "Suécia")},
    "JP": {(1996, 2008, 2027): ("Japan", "Japon", "Japón", "Japão")},
    "EG": {(1996, 2008, 2027): ("Egypt", "Égypte", "Egipto", "Egito")},
    "DZ": {(1996, 2008, 2027): ("Algeria", "Algérie", "Argelia", "Argélia")},
    "KE": {(1996, 2008, 2027): ("Kenya", "Kenya", "Kenya", "Quênia")},
    "BJ": {(1996, 2008, 2027): ("Benin", "Bénin", "Benin", "Benim")},
    "BH": {(1996, 2008, 2027): ("Bahrain", "Bahreïn", "Bahrein", "Bahrein")},
    "QA": {(1996, 2008, 2027): ("Qatar", "Qatar", "Qatar", "Catar")},
    "NZ": {
        (1996, 2008, 2027): ("New Zealand", "Nouvelle-Zélande", "Nueva Zelandia", "Nova Zelândia")
    },
    "KG": {(1996, 2008, 2027): ("Kyrgyzstan", "Kirghizistan", "Kirguistán", "Quirguistão")},
    "WS": {(1996, 2008, 2027): ("Samoa", "Samoa", "Samoa", "Samoa")},
    "NL": {(1996, 2008, 2027): ("Netherlands", "Pays-Bas", "Países Bajos", "Países Baixos")},
    "CG": {(1996, 2008, 2027): ("Congo", "Congo", "Congo", "Congo")},
    "US": {
        (1996, 2008, 2027): (
            "United States of America",
            "États-Unis d'Amérique",
            "Estados Unidos de América",
            "Estados Unidos da América",
        )
    },
    "GB": {
        (1996, 2008, 2027): (
            "United Kingdom of Great Britain and Northern Ireland",
            "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord",
            "Reino Unido de Gran Bretaña e Irlanda del Norte",
            "Reino Unido da Grã-Bretanha e Irlanda do Norte",
        )
    },
    "RU": {
        (1996, 2008, 2027): (
            "Russian Federation",
            "Fédération de Russie",
            "Federación de Rusia",
            "Federação da Rússia",
        )
    },
    "KR": {
        (1996, 2008, 2027): (
            "Republic of Korea",
            "République de Corée",
            "República de Corea",
            "República da Coreia",
        )
    },
    "KP": {
        (1996, 2008, 2027): (
            "Democratic People's Republic of Korea",
            "République populaire démocratique de Corée",
            "República Popular Democrática de Corea",
            "República Popular Democrática da Coreia",
        )
    },
    "IR": {
        (1996, 2008, 2027): (
            "Iran (Islamic Republic of)",
            "Iran (République islamique d')",
            "Irán (República Islámica del)",
            "Irã (República Islâmica do)",
        )
    },
    "SY": {
        (1996, 2008, 2027): (
            "Syrian Arab Republic",
            "République arabe syrienne",
            "República Árabe Siria",
            "República Árabe Síria",
        )
    },
    "TZ": {
        (1996, 2008, 2027): (
            "United Republic of Tanzania",
            "République-Unie de Tanzanie",
            "República Unida de Tanzanía",
            "República Unida da Tanzânia",
        )
    },
    "MD": {
        (1996, 2008, 2027): (
            "Republic of Moldova",
            "République de Moldova",
            "República de Moldova",
            "República da Moldova",
        )
    },
    "LA": {
        (1996, 2008, 2027): (
            "Lao People's Democratic Republic",
            "République démocratique populaire lao",
            "República Democrática Popular Lao",
            "República Democrática Popular do Laos",
        )
    },
    "VN": {(1996, 2008, 2027): ("Viet Nam", "Viet Nam", "Viet Nam", "Vietnã")},
    "BN": {
        (1996, 2008, 2027): (
            "Brunei Darussalam",
            "Brunéi Darussalam",
            "Brunei Darussalam",
            "Brunei Darussalam",
        )
    },
    "FM": {
        (1996, 2008, 2027): (
            "Micronesia (Federated States of)",
            "Micronésie (États fédérés de)",
            "Micronesia (Estados Federados de)",
            "Micronésia (Estados Federados da)",
        )
    },
    "MM": {(1996, 2008, 2027): ("Myanmar", "Myanmar", "Myanmar", "Mianmar")},
    "VA": {(1996, 2008, 2027): ("Holy See", "Saint-Siège", "Santa Sede", "Santa Sé")},
    "AG": {
        (1996, 2008, 2027): (
            "Antigua and Barbuda",
            "Antigua-et-Barbuda",
            "Antigua y Barbuda",
            "Antígua e Barbuda",
        )
    },
    "KN": {
        (1996, 2008, 2027): (
            "Saint Kitts and Nevis",
            "Saint-Kitts-et-Nevis",
            "Saint Kitts y Nevis",
            "São Cristóvão e Névis",
        )
    },
    "LC": {(1996, 2008, 2027): ("Saint Lucia", "Sainte-Lucie", "Santa Lucía", "Santa Lúcia")},
    "VC": {
        (1996, 2008, 2027): (
            "Saint Vincent and the Grenadines",
            "Saint-Vincent-et-les Grenadines",
            "San Vicente y las Granadinas",
            "São Vicente e Granadinas",
        )
    },
    "TT": {
        (1996, 2008, 2027): (
            "Trinidad and Tobago",
            "Trinité-et-Tobago",
            "Trinidad y Tabago",
            "Trinidad e Tobago",
        )
    },
    "ST": {
        (1996, 2008, 2027): (
            "Sao Tome and Principe",
            "Sao Tomé-et-Principe",
            "Santo Tomé y Príncipe",
            "São Tomé e Príncipe",
        )
    },
    "BA": {
        (1996, 2008, 2027): (
            "Bosnia and Herzegovina",
            "Bosnie-Herzégovine",
            "Bosnia y Herzegovina",
            "Bósnia e Herzegovina",
        )
    },
    "BY": {(1996, 2008, 2027): ("Belarus", "Bélarus", "Belarús", "Belarus")},
    "GW": {(1996, 2008, 2027): ("Guinea-Bissau", "Guinée-Bissau", "Guinea-Bissau", "Guiné-Bissau")},
    "CI": {
        (1996, 2008, 2027): ("Côte d'Ivoire", "Côte d'Ivoire", "Côte d'Ivoire", "Costa do Marfim")
    },
    "ZR": {(1996,): ("Zaire", "Zaïre", "Zaire", "Zaire")},
    "CD": {
        (2008, 2027): (
            "Democratic Republic of the Congo",
            "République démocratique du Congo",
            "República Democrática del Congo",
            "República Democrática do Congo",
        )
    },
    "YU": {(1996,): ("Yugoslavia", "Yougoslavie", "Yugoslavia", "Iugoslávia")},
    "RS": {(2008, 2027): ("Serbia", "Serbie", "Serbia", "Sérvia")},
    "ME": {(2008, 2027): ("Montenegro", "Monténégro", "Montenegro", "Montenegro")},
    "TL": {(2008, 2027): ("Timor-Leste", "Timor-Leste", "Timor-Leste", "Timor-Leste")},
    "SS": {(2027,): ("South Sudan", "Soudan du Sud", "Sudán del Sur", "Sudão do Sul")},
    "VE": {
        (1996,): ("Venezuela", "Venezuela", "Venezuela", "Venezuela"),
        (2008, 2027): (
            "Venezuela (Bolivarian Republic of)",
            "Venezuela (République bolivarienne du)",
            "Venezuela (República Bolivariana de)",
            "Venezuela (República Bolivariana da)",
        ),
    },
    "BO": {
        (1996, 2008): ("Bolivia", "Bolivie", "Bolivia", "Bolívia"),
        (2027,): (
            "Bolivia (Plurinational State of)",
            "Bolivie (État plurinational de)",
            "Bolivia (Estado Plurinacional de)",
            "Bolívia (Estado Plurinacional da)",
        ),
    },
    "TR": {
        (1996, 2008): ("Turkey", "Turquie", "Turquía", "Turquia"),
        (2027,): ("Türkiye", "Türkiye", "Türkiye", "Turquia"),
    },
    "CZ": {
        (1996, 2008): (
            "Czech Republic",
            "République tchèque",
            "República Checa",
            "República Tcheca",
        ),
        (2027,): ("Czechia", "Tchéquie", "Chequia", "Tchéquia"),
    },
    "SZ": {
        (1996, 2008): ("Swaziland", "Swaziland", "Swazilandia", "Suazilândia"),
        (2027,): ("Eswatini", "Eswatini", "Eswatini", "Essuatíni"),
    },
    "MK": {
        (1996, 2008): (
            "The former Yugoslav Republic of Macedonia",
            "Ex-République yougoslave de Macédoine",
            "Ex República Yugoslava de Macedonia",
            "Antiga República Iugoslava da Macedônia",
        ),
        (2027,): (
            "North Macedonia",
            "Macédoine du Nord",
            "Macedonia del Norte",
            "Macedônia do Norte",
        ),
    },
    "CV": {
        (1996, 2008): ("Cape Verde", "Cap-Vert", "Cabo Verde", "Cabo Verde"),
        (2027,): ("Cabo Verde", "Cabo Verde", "Cabo Verde", "Cabo Verde"),
    },
    "LY": {
        (1996, 2008): (
            "Libyan Arab Jamahiriya",
            "Jamahiriya arabe libyenne",
            "Jamahiriya Árabe Libia",
            "Jamahiriya Árabe Líbia",
        ),
        (2027,): ("Libya", "Libye", "Libia", "Líbia"),
    },
    "PS": {
        (1996, 2008): ("Palestine", "Palestine", "Palestina", "Palestina"),
        (2027,): (
            "State of Palestine",
            "État de Palestine",
            "Estado de Palestina",
            "Estado da Palestina",
        ),
    },
}

CASES = [
    (code, year, names)
    for code, eras in NAMES.items()
    for years, names in eras.items()
    for year in years
]


def test_the_table_pins_more_than_forty_states_at_each_of_the_three_dates():
    for year in DAYS:
        assert len({code for code, y, _names in CASES if y == year}) >= 40


@pytest.mark.parametrize(("code", "year", "names"), CASES)
def test_a_state_is_named_as_the_un_named_it_on_the_day(code, year, names):
    day = DAYS[year]
    assert is_country(code, day)
    assert tuple(country_name(code, lang, day) for lang in ("en", "fr", "es", "pt")) == names


@pytest.mark.parametrize(
    ("code", "before", "first"),
    [
        ("CD", "Zaire", date(1997, 5, 17)),
        ("CS", "Yugoslavia", date(2003, 2, 4)),
        ("RS", "Serbia and Montenegro", date(2006, 6, 3)),
        ("ME", None, date(2006, 6, 3)),
        ("TL", None, date(2002, 5, 20)),
        ("SS", None, date(2011, 7, 9)),
    ],
)
def test_a_state_begins_on_its_day_and_its_predecessor_ends_the_day_before(code, before, first):
    eve = date.fromordinal(first.toordinal() - 1)
    assert code not in states_on(eve) and code in states_on(first)
    if before is not None:
        predecessor = {"Zaire": "ZR", "Yugoslavia": "YU", "Serbia and Montenegro": "CS"}[before]
        assert predecessor in states_on(eve) and predecessor not in states_on(first)
        assert country_name(predecessor, "en", eve) == before


@pytest.mark.parametrize(
    ("code", "last_day_of_old_name", "old", "new"),
    [
        ("VE", date(2004, 11, 16), "Venezuela", "Venezuela (Bolivarian Republic of)"),
        ("BO", date(2009, 4, 8), "Bolivia", "Bolivia (Plurinational State of)"),
        ("LY", date(2011, 9, 15), "Libyan Arab Jamahiriya", "Libya"),
        ("PS", date(2012, 11, 28), "Palestine", "State of Palestine"),
        ("CV", date(2013, 10, 23), "Cape Verde", "Cabo Verde"),
        ("CZ", date(2016, 5, 16), "Czech Republic", "Czechia"),
        ("SZ", date(2018, 4, 18), "Swaziland", "Eswatini"),
        ("MK", date(2019, 2, 13), "The former Yugoslav Republic of Macedonia", "North Macedonia"),
        ("TR", date(2022, 5, 31), "Turkey", "Türkiye"),
    ],
)
def test_a_new_name_holds_from_the_day_the_un_took_it_up(code, last_day_of_old_name, old, new):
    next_day = date.fromordinal(last_day_of_old_name.toordinal() + 1)
    assert country_name(code, "en", last_day_of_old_name) == old
    assert country_name(code, "en", next_day) == new
    # Without a day, the name is today's.
    assert country_name(code, "en") == new


# --- Which States a congress offers ---------------------------------------------------------


def test_the_states_of_each_day_are_the_un_members_and_observers_of_that_day():
    # 1996: today's 193 members and 2 observers, less Montenegro, Serbia, South Sudan and
    # Timor-Leste, with Zaire for the Democratic Republic of the Congo, and Yugoslavia.
    assert len(states_on(STOCKHOLM)) == 192
    assert {"ZR", "YU", "PS", "VA", "CH"} <= states_on(STOCKHOLM)
    assert not {"CD", "CS", "RS", "ME", "TL", "SS"} & states_on(STOCKHOLM)
    # December 2001: the Democratic Republic of the Congo; Yugoslavia still; no Timor-Leste yet.
    assert len(states_on(YOKOHAMA)) == 192
    assert {"CD", "YU"} <= states_on(YOKOHAMA)
    assert not {"ZR", "CS", "TL"} & states_on(YOKOHAMA)
    assert "CS" in states_on(date(2004, 6, 1)) and "YU" not in states_on(date(2004, 6, 1))
    # 2008: Serbia and Montenegro apart, Timor-Leste; South Sudan not yet.
    assert len(states_on(RIO)) == 194
    assert {"RS", "ME", "TL"} <= states_on(RIO)
    assert not {"YU", "CS", "SS"} & states_on(RIO)
    # 2027: the 193 members and the Holy See and the State of Palestine.
    assert len(states_on(LATER)) == 195
    assert "SS" in states_on(LATER)


@pytest.mark.parametrize("day", [STOCKHOLM, RIO, LATER])
@pytest.mark.parametrize("code", ["HK", "MO", "TW", "AN", "PR", "GL", "XK", "EU", "UN", "ZZ"])
def test_territories_and_groupings_are_never_offered_as_states(code, day):
    assert not is_country(code) and not is_country(code, day)
    assert code not in dict(country_choices("en", day))


def test_a_congress_offers_its_states_by_the_names_of_its_first_day_collated():
    rio = dict(country_choices("en", RIO))
    assert len(rio) == 194
    assert (rio["SZ"], rio["VE"], rio["MK"]) == (
        "Swaziland",
        "Venezuela (Bolivarian Republic of)",
        "The former Yugoslav Republic of Macedonia",
    )
    french = [name for _code, name in country_choices("fr", STOCKHOLM)]
    # Accents ignored at the first level: Égypte among the E's, Zaïre last.
    assert french.index("Dominique") < french.index("Égypte") < french.index("Espagne")
    assert french[-3:] == ["Zaïre", "Zambie", "Zimbabwe"]
    # Without a day (before the congress's dates are known): every State of any date.
    assert {"ZR", "YU", "CS", "CD", "SS"} <= dict(country_choices("en")).keys()


# --- Registration and the other areas asking the same list ---------------------------------


def _register(congress, code: str, email: str) -> Delegation:
    focal_point = make_user(email)
    return operations.register_delegation(
        congress,
        focal_point,
        DelegationDetails(Category.STATE, country_code=code),
        now=datetime.now(UTC),
    )


def _yokohama():
    return make_congress(
        slug="yokohama-2001",
        city={"en": "Yokohama"},
        country_code="JP",
        timezone="Asia/Tokyo",
        start_date=YOKOHAMA,
        end_date=date(2001, 12, 20),
    )


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (make_congress, "SS"),
        (_yokohama, "ME"),
        (_yokohama, "TL"),
        (_yokohama, "RS"),
        (make_congress, "YU"),
    ],
)
def test_registration_refuses_a_state_that_did_not_exist_on_the_first_day(app, build, code):
    with app.app_context(), app.test_request_context("/en/"):
        congress = build()
        with pytest.raises(RegistrationError) as refused:
            _register(congress, code, "fp@example.org")
        assert (refused.value.field, str(refused.value.message)) == (
            "country_code",
            "Choose the country.",
        )
        assert db.session.scalar(select(Delegation)) is None


def test_yugoslavia_registers_for_a_congress_of_2001(app, client):
    with app.app_context(), app.test_request_context("/en/"):
        congress = _yokohama()
        delegation = _register(congress, "YU", "fp@mfa.gov.yu")
        db.session.commit()
        assert (delegation.country_code, delegation.congress_id) == ("YU", congress.id)
        user_id = delegation.focal_point_id
    from tests.conftest import sign_in_as

    sign_in_as(client, user_id)
    html = client.get("/en/congresses/yokohama-2001/register").get_data(as_text=True)
    options = dict(re.findall(r'<option[^>]* value="([A-Z]{2})">([^<]*)</option>', html))
    assert (options["YU"], options["CD"]) == ("Yugoslavia", "Democratic Republic of the Congo")
    assert not {"TL", "RS", "ME", "CS", "ZR", "SS"} & options.keys()


def test_a_host_country_must_have_been_a_state_on_the_first_day(app, client):
    from tests.test_accounts import log_in
    from tests.test_accounts import make_user as make_account
    from tests.test_admin import NEW_CONGRESS

    log_in(client, make_account(app, "admin@example.org", name="Admin", is_admin=True))
    data = {
        **NEW_CONGRESS,
        "country_code": "SS",
        "start_date": "2008-11-25",
        "end_date": "2008-11-28",
    }
    page = client.post("/en/admin/congresses/new", data=data).get_data(as_text=True)
    assert "This country was not a State on the congress&#39;s first day." in page
    with app.app_context():
        assert (
            db.session.scalar(select(Congress).where(Congress.slug == "world-congress-iv")) is None
        )
    data["start_date"], data["end_date"] = "2030-11-25", "2030-11-28"
    assert client.post("/en/admin/congresses/new", data=data).status_code == 302


def test_a_commitment_needs_a_state_on_its_day(app, archive):
    with app.app_context(), app.test_request_context("/en/"):
        rio_declaration = document("rio-declaration-and-call-for-action")

        def errors(code, kind, on):
            return declarations.check(
                rio_declaration,
                country_code=code,
                kind=kind,
                on=on,
                through_delegation=False,
                today=date(2026, 1, 1),
            )[0]

        assert errors("SS", CommitmentKind.ADOPTED, None) == {
            "country_code": "This country was not a State on the day of this commitment."
        }
        assert errors("SS", CommitmentKind.ENDORSED, date(2012, 3, 1)) == {}
        assert errors("YU", CommitmentKind.ADOPTED, None) == {
            "country_code": "This country was not a State on the day of this commitment."
        }
        assert errors("HK", CommitmentKind.ADOPTED, None) == {
            "country_code": "Choose a country from the list."
        }


# --- Lists, pages and answers name States as on the congress's first day -------------------

MIXED = [
    "US",
    "GB",
    "KR",
    "IR",
    "VE",
    "MK",
    "CI",
    "VA",
    "TZ",
    "NL",
    "EG",
    "SZ",
    "TR",
    "CZ",
    "ES",
    "DE",
]

# The order of a UN list in each language: accents, case, spaces, hyphens and
# parentheses weigh nothing at the first level; in Spanish "ñ" is a letter after "n".
ORDER_2008 = {
    "en": [
        "Côte d'Ivoire",
        "Czech Republic",
        "Egypt",
        "Germany",
        "Holy See",
        "Iran (Islamic Republic of)",
        "Netherlands",
        "Republic of Korea",
        "Spain",
        "Swaziland",
        "The former Yugoslav Republic of Macedonia",
        "Turkey",
        "United Kingdom of Great Britain and Northern Ireland",
        "United Republic of Tanzania",
        "United States of America",
        "Venezuela (Bolivarian Republic of)",
    ],
    "fr": [
        "Allemagne",
        "Côte d'Ivoire",
        "Égypte",
        "Espagne",
        "États-Unis d'Amérique",
        "Ex-République yougoslave de Macédoine",
        "Iran (République islamique d')",
        "Pays-Bas",
        "République de Corée",
        "République tchèque",
        "République-Unie de Tanzanie",
        "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord",
        "Saint-Siège",
        "Swaziland",
        "Turquie",
        "Venezuela (République bolivarienne du)",
    ],
    "es": [
        "Alemania",
        "Côte d'Ivoire",
        "Egipto",
        "España",
        "Estados Unidos de América",
        "Ex República Yugoslava de Macedonia",
        "Irán (República Islámica del)",
        "Países Bajos",
        "Reino Unido de Gran Bretaña e Irlanda del Norte",
        "República Checa",
        "República de Corea",
        "República Unida de Tanzanía",
        "Santa Sede",
        "Swazilandia",
        "Turquía",
        "Venezuela (República Bolivariana de)",
    ],
    "pt": [
        "Alemanha",
        "Antiga República Iugoslava da Macedônia",
        "Costa do Marfim",
        "Egito",
        "Espanha",
        "Estados Unidos da América",
        "Irã (República Islâmica do)",
        "Países Baixos",
        "Reino Unido da Grã-Bretanha e Irlanda do Norte",
        "República da Coreia",
        "República Tcheca",
        "República Unida da Tanzânia",
        "Santa Sé",
        "Suazilândia",
        "Turquia",
        "Venezuela (República Bolivariana da)",
    ],
    # Arabic and Russian by the UCA (CLDR's rules, through PyICU): Arabic's alef with or
    # without hamza is one letter at the first level, so "إسبانيا" comes before "ألمانيا".
    "ar": [
        "إسبانيا",
        "الجمهورية التشيكية",
        "الكرسي الرسولي",
        "ألمانيا",
        "المملكة المتحدة لبريطانيا العظمى وآيرلندا الشمالية",
        "الولايات المتحدة الأمريكية",
        "إيران (جمهورية - الإسلامية)",
        "تركيا",
        "جمهورية تنزانيا المتحدة",
        "جمهورية كوريا",
        "جمهورية مقدونيا اليوغوسلافية سابقاً",
        "سوازيلند",
        "فنزويلا (جمهورية - البوليفارية)",
        "كوت ديفوار",
        "مصر",
        "هولندا",
    ],
    # Pinyin: Āijí, Dàbùlièdiān, Dàhán, Déguó, Hélán, Jiàotíng, Jiékè, Kētèdíwǎ, Měilìjiān,
    # Qiánnánsīlāfū, Sīwēishìlán, Tǎnsāngníyà, Tǔ'ěrqí, Wěinèiruìlā, Xībānyá, Yīlǎng.
    "zh": [
        "埃及",
        "大不列颠及北爱尔兰联合王国",
        "大韩民国",
        "德国",
        "荷兰",
        "教廷",
        "捷克共和国",
        "科特迪瓦",
        "美利坚合众国",
        "前南斯拉夫的马其顿共和国",
        "斯威士兰",
        "坦桑尼亚联合共和国",
        "土耳其",
        "委内瑞拉(玻利瓦尔共和国)",
        "西班牙",
        "伊朗(伊斯兰共和国)",
    ],
    "ru": [
        "бывшая югославская Республика Македония",
        "Венесуэла (Боливарианская Республика)",
        "Германия",
        "Египет",
        "Иран (Исламская Республика)",
        "Испания",
        "Кот-д'Ивуар",
        "Нидерланды",
        "Объединенная Республика Танзания",
        "Республика Корея",
        "Свазиленд",
        "Святой Престол",
        "Соединенное Королевство Великобритании и Северной Ирландии",
        "Соединенные Штаты Америки",
        "Турция",
        "Чешская Республика",
    ],
}


@pytest.fixture
def rio_with_states(app, archive):
    with app.app_context():
        rio = db.session.scalar(select(Congress).where(Congress.slug == "rio-2008"))
        for code in MIXED:
            add_delegation(rio, code=code)
        add_delegation(rio, name="ECPAT International", category=Category.NGO)
        db.session.commit()


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt", "ar", "zh", "ru"])
def test_the_list_of_participants_collates_the_un_names_in_its_language(app, rio_with_states, lang):
    with app.app_context():
        rio = db.session.scalar(select(Congress).where(Congress.slug == "rio-2008"))
        states, organisations = build_list(rio, lang).groups
        assert [d.name for d in states.delegations] == ORDER_2008[lang]
        assert [d.name for d in organisations.delegations] == ["ECPAT International"]


def test_the_page_the_csv_and_the_search_name_a_state_as_on_the_first_day(app, client, archive):
    with app.app_context():
        stockholm = db.session.scalar(select(Congress).where(Congress.slug == "stockholm-1996"))
        add_delegation(stockholm, code="ZR")
        add_delegation(stockholm, code="VE")
        rio = db.session.scalar(select(Congress).where(Congress.slug == "rio-2008"))
        add_delegate(add_delegation(rio, code="VE"), "Ana", "Pérez")
        db.session.commit()
    page = client.get("/en/congresses/stockholm-1996/participants").get_data(as_text=True)
    assert "Zaire" in page and "Venezuela" in page and "Bolivarian" not in page
    csv = client.get("/fr/congresses/rio-2008/participants.csv").get_data(as_text=True)
    assert "Venezuela (République bolivarienne du)" in csv
    found = client.get("/en/search?q=zaire").get_data(as_text=True)
    assert "Zaire" in found


def test_the_country_page_writes_english_with_the_uns_article(client, archive):
    html = client.get("/en/countries/CD").get_data(as_text=True)
    assert "<h1>Democratic Republic of the Congo</h1>" in html
    assert (
        "The record of the Government of the Democratic Republic of the Congo across the World"
        " Congresses" in html
    )
    assert "No accredited delegation of the Democratic Republic of the Congo is recorded" in html
    french = client.get("/fr/countries/CD").get_data(as_text=True)
    assert "Le parcours du Gouvernement (République démocratique du Congo)" in french
    assert country_name_in_text("GB", "en") == (
        "the United Kingdom of Great Britain and Northern Ireland"
    )
    assert country_name_in_text("IR", "en") == "the Islamic Republic of Iran"
    assert country_name_in_text("VE", "en", STOCKHOLM) == "Venezuela"
    assert country_name_in_text("BR", "en") == "Brazil"
    assert country_name_in_text("TR", "es") == "Türkiye"


def test_a_former_state_has_its_page_and_api_answer(client, archive):
    html = client.get("/en/countries/YU").get_data(as_text=True)
    assert "<h1>Yugoslavia</h1>" in html
    answer = client.get("/api/v1/countries/ZR?lang=fr").get_json()
    assert (answer["code"], answer["name"]) == ("ZR", "Zaïre")


def test_the_demo_congress_of_2027_draws_its_states_from_that_day(app):
    from congress.demo import DemoSize, build_demo

    with app.app_context():
        congress = build_demo(DemoSize(delegations=300, delegates=300, sessions=1, rooms=1, days=1))
        codes = set(
            db.session.scalars(
                select(Delegation.country_code).where(
                    Delegation.congress_id == congress.id, Delegation.country_code.is_not(None)
                )
            )
        )
        assert congress.status is CongressStatus.REGISTRATION_OPEN
        assert codes == states_on(congress.start_date)
