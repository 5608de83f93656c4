"""Country names in the page's language: CLDR's today, the UN's of the time for a past congress."""

from __future__ import annotations

import tomllib
from datetime import date
from importlib import resources

import pytest

from congress.i18n.collation import collated
from congress.i18n.countries import country_name

RIO = date(2008, 11, 25)
STOCKHOLM = date(1996, 8, 27)
TODAY = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        (
            "en",
            [
                "Swaziland",
                "Turkey",
                "Libyan Arab Jamahiriya",
                "The former Yugoslav Republic of Macedonia",
                "Czech Republic",
            ],
        ),
        (
            "fr",
            [
                "Swaziland",
                "Turquie",
                "Jamahiriya arabe libyenne",
                "Ex-République yougoslave de Macédoine",
                "République tchèque",
            ],
        ),
        (
            "es",
            [
                "Swazilandia",
                "Turquía",
                "Jamahiriya Árabe Libia",
                "Ex República Yugoslava de Macedonia",
                "República Checa",
            ],
        ),
        (
            "pt",
            [
                "Suazilândia",
                "Turquia",
                "Jamahiriya Árabe Líbia",
                "Antiga República Iugoslava da Macedônia",
                "República Tcheca",
            ],
        ),
    ],
)
def test_the_rio_2008_list_uses_the_names_of_its_time(lang, names):
    assert [country_name(code, lang, on=RIO) for code in ("SZ", "TR", "LY", "MK", "CZ")] == names


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        ("en", ["Eswatini", "Türkiye", "Libya", "North Macedonia", "Czechia"]),
        ("fr", ["Eswatini", "Turquie", "Libye", "Macédoine du Nord", "Tchéquie"]),
        ("es", ["Esuatini", "Turquía", "Libia", "Macedonia del Norte", "Chequia"]),
        ("pt", ["Essuatíni", "Turquia", "Líbia", "Macedônia do Norte", "Tchéquia"]),
    ],
)
def test_today_the_names_are_cldrs(lang, names):
    codes = ("SZ", "TR", "LY", "MK", "CZ")
    assert [country_name(code, lang) for code in codes] == names
    assert [country_name(code, lang, on=TODAY) for code in codes] == names


def test_a_name_changes_on_the_day_the_un_took_it_up():
    assert country_name("TR", "en", on=date(2022, 5, 31)) == "Turkey"
    assert country_name("TR", "en", on=date(2022, 6, 1)) == "Türkiye"
    assert country_name("MK", "fr", on=date(2019, 2, 13)) == "Ex-République yougoslave de Macédoine"
    assert country_name("MK", "fr", on=date(2019, 2, 14)) == "Macédoine du Nord"


def test_stockholm_1996_knew_zaire():
    assert country_name("CD", "fr", on=STOCKHOLM) == "Zaïre"
    assert country_name("CD", "en", on=STOCKHOLM) == "Zaire"
    assert country_name("CD", "en", on=RIO) == "Democratic Republic of the Congo"


def test_the_two_congos_have_names_not_cldrs_labels():
    # CLDR's default English is "Congo - Kinshasa" / "Congo - Brazzaville".
    assert country_name("CD", "en") == "Democratic Republic of the Congo"
    assert country_name("CG", "en") == "Congo"
    assert country_name("CD", "pt") == "República Democrática do Congo"
    assert country_name("CD", "es") == "República Democrática del Congo"


def test_names_without_override_come_from_cldr_in_each_language():
    assert [country_name("DE", lang) for lang in ("en", "fr", "es", "pt")] == [
        "Germany",
        "Allemagne",
        "Alemania",
        "Alemanha",
    ]
    assert country_name("br", "pt") == "Brasil"
    # An unknown code shows as itself rather than failing the page.
    assert country_name("ZZZ", "fr") == "ZZZ"


def test_a_french_list_of_2008_sorts_the_old_names_where_they_were():
    codes = ["MK", "ES", "EG", "SZ", "SE", "CZ", "RE", "TR", "LY", "LR", "JM"]
    names = collated([country_name(c, "fr", on=RIO) for c in codes], key=str, lang="fr")
    assert names == [
        "Égypte",
        "Espagne",
        "Ex-République yougoslave de Macédoine",
        "Jamahiriya arabe libyenne",
        "Jamaïque",
        "La Réunion",
        "Liberia",
        "République tchèque",
        "Suède",
        "Swaziland",
        "Turquie",
    ]


def test_every_override_names_all_four_languages_and_a_date():
    data = resources.files("congress.data").joinpath("country_names.toml").read_bytes()
    for code, entries in tomllib.loads(data.decode()).items():
        assert len(code) == 2 and code.isupper()
        for entry in entries:
            assert {"en", "fr", "es", "pt"} <= entry.keys(), code
            assert set(entry) - {"en", "fr", "es", "pt"} <= {"until"}, code
            if "until" in entry:
                assert isinstance(entry["until"], date), code
