"""The list of States itself: every name complete, sourced, dated, and in the UN's forms."""

from __future__ import annotations

import tomllib
from datetime import date
from importlib import resources

import pytest

from congress.i18n.countries import (
    country_name,
    name_is_unverified,
    sources,
    states,
    states_on,
)

LANGS = ("en", "fr", "es", "pt", "ar", "zh", "ru")
NAME_KEYS = {
    *LANGS,
    "en_text",
    "from",
    "until",
    "source",
    "pt_source",
    "un_source",
    "date_source",
}


def raw() -> dict:
    data = resources.files("congress.data").joinpath("countries.toml").read_bytes()
    return tomllib.loads(data.decode())


def test_the_file_ships_in_the_package_and_holds_only_what_the_loader_reads():
    data = raw()
    assert set(data) == {"sources", "continues", "states"}
    for code, names in data["states"].items():
        assert len(code) == 2 and code.isascii() and code.isupper(), code
        for entry in names:
            assert set(entry) <= NAME_KEYS, code
            assert all(entry[lang].strip() == entry[lang] != "" for lang in LANGS), code


def test_every_name_states_its_sources_and_every_new_name_the_source_of_its_day():
    known = sources()
    for code, state in states().items():
        for name in state.names:
            assert name.source in known and name.pt_source in known, code
            assert name.un_source in known, code
            if name.start is not None:
                assert name.date_source in known, code
            else:
                assert name.date_source is None, code
    used = {
        key
        for state in states().values()
        for name in state.names
        for key in (name.source, name.pt_source, name.un_source, name.date_source)
    }
    # No source listed that no name cites.
    assert set(known) == used - {None}


def test_each_name_starts_the_day_the_one_before_it_ended():
    for code, state in states().items():
        for before, after in zip(state.names, state.names[1:], strict=False):
            assert before.end is not None and after.start == before.end, code
        for name in state.names:
            assert name.start is None or name.end is None or name.start < name.end, code
            assert all(isinstance(d, date) for d in (name.start, name.end) if d is not None)


def test_a_continued_state_ends_the_day_its_continuer_begins():
    lineage = {code: state.continues for code, state in states().items() if state.continues}
    assert lineage == {"CD": "ZR", "CS": "YU", "RS": "CS"}
    for code, predecessor in lineage.items():
        assert states()[predecessor].names[-1].end == states()[code].names[0].start


def test_today_there_are_the_193_members_and_the_two_observer_states():
    today = states_on(date(2026, 1, 1))
    assert len(today) == 195
    assert {"VA", "PS"} <= today
    # The former States are kept for the congresses of their time only.
    assert set(states()) - today == {"YU", "CS", "ZR"}


def test_names_are_the_uns_forms_not_cldrs_labels():
    for code, state in states().items():
        for name in state.names:
            for lang in LANGS:
                text = name.text[lang]
                assert "&" not in text and "St. " not in text, (code, text)
                # Apostrophes as the UN types them; CLDR's curly one would sort and match apart.
                assert "\u2019" not in text, (code, text)
                assert "(Burma)" not in text, (code, text)
                # The UN's Arabic sets a qualifier apart with a hyphen between spaces:
                # "بوليفيا (دولة - المتعددة القوميات)"; the Latin forms never do.
                assert lang == "ar" or " - " not in text, (code, text)


@pytest.mark.parametrize(
    ("code", "english", "in_text"),
    [
        ("CD", "Democratic Republic of the Congo", "the Democratic Republic of the Congo"),
        ("SD", "Sudan", "the Sudan"),
        ("NE", "Niger", "the Niger"),
        ("GM", "Gambia", "the Gambia"),
        ("VA", "Holy See", "the Holy See"),
        ("IR", "Iran (Islamic Republic of)", "the Islamic Republic of Iran"),
        ("FM", "Micronesia (Federated States of)", "the Federated States of Micronesia"),
        ("SB", "Solomon Islands", "Solomon Islands"),
        ("UA", "Ukraine", "Ukraine"),
    ],
)
def test_english_running_text_has_the_uns_article_where_the_un_uses_one(code, english, in_text):
    name = states()[code].names[-1]
    assert (name.text["en"], name.en_text) == (english, in_text)


def test_an_unknown_code_shows_as_cldr_names_it_or_as_itself():
    # A territory stored before the list of States existed still reads as a name.
    assert country_name("HK", "en") == "Hong Kong SAR China"
    assert country_name("zzz", "fr") == "ZZZ"
    assert country_name("br", "pt") == "Brasil"
    # A language the site does not have falls back to English.
    assert country_name("DE", "de") == "Germany"


def test_outside_its_time_a_state_keeps_its_nearest_name():
    assert country_name("CD", "fr", date(1996, 8, 27)) == "République démocratique du Congo"
    assert country_name("YU", "en", date(2008, 11, 25)) == "Yugoslavia"


@pytest.mark.parametrize(
    ("code", "day", "names"),
    [
        # The M49 table's names in Arabic, Chinese and Russian.
        (
            "BO",
            date(2020, 1, 1),
            (
                "بوليفيا (دولة - المتعددة القوميات)",
                "玻利维亚(多民族国)",
                "Боливия (Многонациональное Государство)",
            ),
        ),
        (
            "GB",
            date(2008, 11, 25),
            (
                "المملكة المتحدة لبريطانيا العظمى وآيرلندا الشمالية",
                "大不列颠及北爱尔兰联合王国",
                "Соединенное Королевство Великобритании и Северной Ирландии",
            ),
        ),
        ("CZ", date(2016, 5, 17), ("تشيكيا", "捷克", "Чехия")),
        # Before 17 May 2016, UNTERM's Czech Republic.
        ("CZ", date(2008, 11, 25), ("الجمهورية التشيكية", "捷克共和国", "Чешская Республика")),
        (
            "MK",
            date(2008, 11, 25),
            (
                "جمهورية مقدونيا اليوغوسلافية سابقاً",
                "前南斯拉夫的马其顿共和国",
                "бывшая югославская Республика Македония",
            ),
        ),
        ("BR", date(2008, 11, 25), ("البرازيل", "巴西", "Бразилия")),
    ],
)
def test_the_un_names_in_arabic_chinese_and_russian_on_a_day(code, day, names):
    assert tuple(country_name(code, lang, day) for lang in ("ar", "zh", "ru")) == names


def test_names_not_from_a_un_source_say_so():
    un = {key for key, text in sources().items() if text.startswith("United Nations")}
    said = {
        (code, name.end or name.start): name.un_source
        for code, state in states().items()
        for name in state.names
        if name.un_source not in un
    }
    assert said == {
        ("PS", date(2012, 11, 29)): "unverified",
        ("YU", date(2003, 2, 4)): "unverified",
        ("ZR", date(1997, 5, 17)): "unverified",
    }
    # North Macedonia, Türkiye and Swaziland: the M49 tables of their time; the Libyan Arab
    # Jamahiriya, Bolivia, Venezuela and Cape Verde: treaty bodies' documents of their time.
    assert country_name("LY", "zh", date(2008, 11, 25)) == "阿拉伯利比亚民众国"
    assert country_name("MK", "zh", date(2024, 1, 1)) == "北马其顿"
    assert country_name("TR", "ar", date(2024, 1, 1)) == "تركيا"
    assert country_name("SZ", "ru", date(2008, 11, 25)) == "Свазиленд"
    assert country_name("SZ", "ru", date(2024, 1, 1)) == "Эсватини"
    assert country_name("CV", "ru", date(2008, 11, 25)) == "Кабо-Верде"
    assert country_name("BO", "ar", date(2008, 11, 25)) == "بوليفيا"
    # Serbia and Montenegro: a treaty body's and the Security Council's documents of 2004-2005.
    assert tuple(country_name("CS", lang, date(2005, 6, 23)) for lang in ("ar", "zh", "ru")) == (
        "صربيا والجبل الأسود",
        "塞尔维亚和黑山",
        "Сербия и Черногория",
    )
    assert not name_is_unverified("CS", "zh", date(2005, 6, 23))
    assert sources()["unverified"].startswith("No source")


def test_a_name_without_a_source_is_known_as_such_in_its_language():
    assert name_is_unverified("ZR", "ar", date(1996, 8, 27))
    assert name_is_unverified("PS", "zh", date(2008, 11, 25))
    # English, French, Spanish are UNTERM's, Portuguese Itamaraty's: sourced.
    assert not name_is_unverified("ZR", "en", date(1996, 8, 27))
    assert not name_is_unverified("PS", "pt", date(2008, 11, 25))
    # Palestine's name since 2012 is M49's.
    assert not name_is_unverified("PS", "zh", date(2024, 1, 1))
    assert not name_is_unverified("LY", "ru", date(2008, 11, 25))


def test_the_country_page_says_when_its_name_has_no_source(client):
    said = 'id="name-unverified"'
    assert said in client.get("/ar/countries/ZR").get_data(as_text=True)
    assert said in client.get("/ru/countries/YU").get_data(as_text=True)
    assert said not in client.get("/en/countries/ZR").get_data(as_text=True)
    assert said not in client.get("/ar/countries/BR").get_data(as_text=True)
