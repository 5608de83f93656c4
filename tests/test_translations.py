"""The catalogues in translations/: complete, consistent with the sources, compiled.

A new string in the code or a template fails here until it is translated:
``flask --app congress translate update``, translate, ``translate compile``.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message

from congress import PROJECT_ROOT
from congress.i18n import catalogues
from congress.i18n.catalogues import (
    TRANSLATED_LANGUAGES,
    missing,
    placeholders,
    placeholders_match,
    problems,
    stale,
)


@pytest.fixture(scope="module")
def template() -> Catalog:
    """The messages of the sources, extracted now."""
    return catalogues.extract()


def read(lang: str) -> Catalog:
    return catalogues._read_po(catalogues.po_path(lang))


def report(found) -> str:
    return "\n".join(str(p) for p in found)


def test_the_sources_have_messages(template):
    ids = {m.id for m in template if m.id}
    # From Python, from page templates and from mail templates.
    assert "There is no page at this address." in ids  # congress/errors.py
    assert "Back to the home page" in ids  # templates/errors/error.html
    assert "Hello %(name)s," in ids  # templates/mail/_greeting.txt
    assert ("Host", "Hosts") in ids  # ngettext in a template


@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_the_catalogue_holds_every_message_of_the_sources(template, lang):
    found = list(missing(template, read(lang), lang))
    assert not found, "run `flask --app congress translate update`, then translate:\n" + report(
        found
    )


@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_every_entry_is_translated_not_fuzzy_with_the_same_placeholders(lang):
    catalog = read(lang)
    assert len(catalog) > 100
    found = list(problems(catalog, lang))
    assert not found, report(found)
    # Babel's own checks (python-format placeholders, plural forms) agree.
    assert [(m.id, errors) for m, errors in catalog.check()] == []


@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_the_compiled_catalogue_matches_its_po(lang):
    found = list(stale(lang))
    assert not found, "run `flask --app congress translate compile`:\n" + report(found)


@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_plural_forms_follow_cldr(lang):
    catalog = read(lang)
    assert catalog.num_plurals == Catalog(locale=lang).num_plurals
    for message in catalog:
        if message.id and message.pluralizable:
            assert len(message.string) == catalog.num_plurals, message.id


# --- The checks catch what they must -------------------------------------------------------


def test_placeholders_are_read_by_name_and_position():
    assert placeholders("%(name)s has %(count)d, %s and %d; 100%% {field} {{literal}}") == Counter(
        {"%(name)s": 1, "%(count)d": 1, "%0s": 1, "%1d": 1, "{field}": 1}
    )


def check(message: Message, lang: str = "fr") -> list[str]:
    catalog = Catalog(locale=lang)
    catalog[message.id] = message
    return [p.what for p in problems(catalog, lang)]


def test_an_empty_translation_fails():
    assert check(Message("Save", "")) == ["untranslated"]
    assert check(Message("Save", "   ")) == ["untranslated"]


def test_a_fuzzy_translation_fails():
    assert check(Message("Save", "Enregistrer", flags={"fuzzy"})) == ["fuzzy"]


def test_a_translation_with_other_placeholders_fails():
    assert check(Message("Hello %(name)s,", "Bonjour %(nom)s,")) == ["placeholders differ"]
    assert check(Message("Hello %(name)s,", "Bonjour,")) == ["placeholders differ"]
    assert check(Message("%s of %s", "%s sur %s sur %s")) == ["placeholders differ"]
    assert check(Message("Hi {name}", "Salut {nom}")) == ["placeholders differ"]
    assert check(Message("Hello %(name)s,", "Bonjour %(name)s,")) == []


def test_plural_forms_may_leave_out_the_number_but_not_invent_one():
    message = Message(("%(num)d member", "%(num)d members"), ("un membre", "", ""))
    assert check(message) == ["untranslated"]
    one_word = ("un seul membre", "%(num)d membres", "%(num)d membres")
    assert check(Message(("%(num)d member", "%(num)d members"), one_word)) == []
    invented = ("%(num)d membre", "%(num)d membres", "%(count)d membres")
    assert not placeholders_match(Message(("%(num)d member", "%(num)d members"), invented))


def test_a_message_missing_from_the_catalogue_fails(template):
    catalog = read("fr")
    new = Catalog()
    new.add("A string nobody has translated yet", locations=[("congress/new.py", 1)])
    assert [p.msgid for p in missing(new, catalog, "fr")] == ["A string nobody has translated yet"]


# --- The round that brings a new string in, on a copy of the project -----------------------


@pytest.fixture
def project(tmp_path) -> Path:
    """A small copy of the project: babel.cfg, one module, one template, the catalogues."""
    shutil.copy(PROJECT_ROOT / "babel.cfg", tmp_path / "babel.cfg")
    shutil.copytree(PROJECT_ROOT / "translations", tmp_path / "translations")
    (tmp_path / "congress").mkdir()
    (tmp_path / "congress" / "views.py").write_text(
        'from flask_babel import lazy_gettext as _l\nLABEL = _l("Back to the home page")\n'
    )
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text(
        '<p>{{ _("Brand-new message for %(who)s", who=name) }}</p>\n'
        '<p>{{ ngettext("%(num)d new seat", "%(num)d new seats", n) }}</p>\n'
    )
    return tmp_path


SHEET_ANSWERS = {
    "Brand-new message for %(who)s": {
        "fr": "Nouveau message pour %(who)s : bienvenue",
        "es": "Mensaje nuevo para %(who)s",
        "pt": "Mensagem nova para %(who)s",
        "ar": "رسالة جديدة إلى %(who)s",
        "zh": "给%(who)s的新消息",
        "ru": "Новое сообщение для %(who)s",
    },
    "%(num)d new seat": {
        "fr": ["%(num)d nouvelle place", "%(num)d nouvelles places"],
        "es": ["%(num)d asiento nuevo", "%(num)d asientos nuevos"],
        "pt": ["%(num)d lugar novo", "%(num)d lugares novos"],
        # Every form of the language, in Babel's order: zero, one, two, few, many, other.
        "ar": [
            "لا مقاعد جديدة",
            "مقعد جديد واحد",
            "مقعدان جديدان",
            "%(num)d مقاعد جديدة",
            "%(num)d مقعدًا جديدًا",
            "%(num)d مقعد جديد",
        ],
        "zh": ["%(num)d个新座位"],
        "ru": ["%(num)d новое место", "%(num)d новых места", "%(num)d новых мест"],
    },
}


def test_update_sheet_fill_compile_round(project):
    assert catalogues.update(project) == dict.fromkeys(catalogues.TRANSLATED_LANGUAGES, 2)
    catalog = catalogues._read_po(catalogues.po_path("fr", project))
    # Messages gone from the sources leave; the one still used keeps its translation.
    assert [m.id for m in catalog if m.id] == [
        "Back to the home page",
        "Brand-new message for %(who)s",
        ("%(num)d new seat", "%(num)d new seats"),
    ]
    assert catalog["Back to the home page"].string == "Retour à la page d’accueil"
    # Where it comes from, without the line: code that only moves leaves the catalogues alone.
    assert catalog["Brand-new message for %(who)s"].locations == [("templates/page.html", None)]
    problems_now = catalogues.check(project)
    assert {p.msgid for p in problems_now if p.what in ("untranslated", "fuzzy")} == set(
        SHEET_ANSWERS
    )
    assert "compiled catalogue is stale" in {p.what for p in problems_now}

    # The sheet has the two new messages, the three languages side by side, to fill in
    # (empty, or Babel's guess from a similar message, marked fuzzy).
    sheet_path = project / "todo.toml"
    assert catalogues.write_sheet(sheet_path, project) == 2
    sheet = tomllib.loads(sheet_path.read_text())["message"]
    assert [(row["msgid"], row["where"]) for row in sheet] == [
        ("Brand-new message for %(who)s", "templates/page.html"),
        ("%(num)d new seat", "templates/page.html"),
    ]
    assert sheet[1]["msgid_plural"] == "%(num)d new seats"
    assert set(catalogues.TRANSLATED_LANGUAGES) <= sheet[0].keys()
    # A plural: [one, other] in French, Spanish and Portuguese, every form in the others.
    assert {lang: len(sheet[1][lang]) for lang in catalogues.TRANSLATED_LANGUAGES} == {
        "fr": 2,
        "es": 2,
        "pt": 2,
        "ar": 6,
        "zh": 1,
        "ru": 3,
    }
    # The translator's answers.
    lines = []
    for row in sheet:
        lines += ["[[message]]", f"msgid = {json.dumps(row['msgid'])}"]
        lines += [
            f"{lang} = {json.dumps(text)}" for lang, text in SHEET_ANSWERS[row["msgid"]].items()
        ]
    sheet_path.write_text("\n".join(lines) + "\n")
    assert catalogues.fill(sheet_path, project) == 12

    catalog = catalogues._read_po(catalogues.po_path("fr", project))
    # French spacing: a no-break space before the colon.
    assert catalog["Brand-new message for %(who)s"].string == (
        "Nouveau message pour %(who)s\u00a0: bienvenue"
    )
    # [one, other] spread over CLDR's forms for French: one, many, other.
    assert catalog["%(num)d new seat"].string == (
        "%(num)d nouvelle place",
        "%(num)d nouvelles places",
        "%(num)d nouvelles places",
    )
    arabic = catalogues._read_po(catalogues.po_path("ar", project))
    assert arabic["%(num)d new seat"].string == tuple(SHEET_ANSWERS["%(num)d new seat"]["ar"])
    russian = catalogues._read_po(catalogues.po_path("ru", project))
    assert russian["%(num)d new seat"].string[2] == "%(num)d новых мест"
    assert len(catalogues.compile_catalogues(project)) == 6
    assert catalogues.check(project) == []
    assert catalogues.write_sheet(sheet_path, project) == 0
    # Nothing to do the second time: the files stay as they are.
    before = catalogues.po_path("fr", project).read_bytes()
    assert catalogues.update(project) == dict.fromkeys(catalogues.TRANSLATED_LANGUAGES, 0)
    assert catalogues.po_path("fr", project).read_bytes() == before
    assert catalogues.compile_catalogues(project) == []


def test_translate_check_command_lists_the_problems(runner):
    found = catalogues.check()
    result = runner.invoke(args=["translate", "check"])
    for problem in found:
        assert str(problem) in result.output
    if found:
        assert result.exit_code == 1
        assert f"{len(found)} problems in the catalogues" in result.output
    else:
        assert result.exit_code == 0, result.output
        assert "Every catalogue is complete and compiled." in result.output


def test_a_sheet_with_two_forms_for_arabic_is_refused_before_anything_is_written(project):
    catalogues.update(project)
    before = catalogues.po_path("fr", project).read_bytes()
    sheet = project / "two.toml"
    sheet.write_text(
        '[[message]]\nmsgid = "%(num)d new seat"\n'
        'fr = ["%(num)d nouvelle place", "%(num)d nouvelles places"]\n'
        'ar = ["مقعد جديد واحد", "%(num)d مقعد جديد"]\n',
        encoding="utf-8",
    )
    with pytest.raises(catalogues.SheetError, match="ar of '%\\(num\\)d new seat' has 2 plural"):
        catalogues.fill(sheet, project)
    assert catalogues.po_path("fr", project).read_bytes() == before
