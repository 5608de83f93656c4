"""Four languages everywhere: the /<lang>/ prefix, the switcher, hreflang, fallback of
content, formats, and flash messages, form errors, mails and error pages in the user's language."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import select
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length

from congress.accounts.models import User
from congress.congresses.models import Congress
from congress.db import LANGUAGES
from congress.extensions import db
from congress.i18n import FORMAT_LOCALES, current_language, url_for_language
from congress.i18n.content import localize, localized_markup, localized_text
from congress.i18n.formatting import (
    date_range,
    local_datetime,
    local_time,
    long_date,
    number,
    utc_offset,
)
from congress.mail import send_mail
from tests.markup import plain

HREFLANG = re.compile(r'<link rel="alternate" hreflang="([a-z]{2})" href="([^"]+)">')
SWITCHER = re.compile(r'<a (?:class="[^"]*" )?lang="([a-z]{2})" hreflang="\1" href="([^"]+)">')


def html_lang(html: str) -> str | None:
    found = re.search(r'<html lang="([^"]+)"', html)
    return found and found[1]


# --- Every page under /<lang>/ ---------------------------------------------------------------

# Addresses that are not pages: files, the JSON API, the redirect at the root, and
# calendar feeds and schedule exports (a calendar or schedule app keeps one address for
# good: their language is ?lang=), with the trailing slash that redirects to them.
NOT_PAGES = re.compile(r"^/(static/|api/|$)|\.(ics|xml|json)/?$")


def test_every_page_address_starts_with_the_language(app):
    outside = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if not NOT_PAGES.search(rule.rule) and not rule.rule.startswith("/<lang>/")
    ]
    assert outside == []


def _sample_values(app) -> dict[str, object]:
    """Values for the URL arguments of the public pages, from the archive."""
    with app.app_context():
        rio = db.session.scalar(select(Congress).where(Congress.slug == "rio-2008"))
        values: dict[str, object] = {"slug": rio.slug, "code": "BR"}
        if rio.documents:
            values["doc_slug"] = rio.documents[0].slug
        if rio.sessions:
            values["session_id"] = rio.sessions[0].id
    return values


def _page_urls(app) -> dict[str, str]:
    """Each GET page under /<lang>/ whose arguments the archive can fill, by endpoint."""
    values = _sample_values(app)
    urls = {}
    with app.test_request_context("/"):
        for rule in app.url_map.iter_rules():
            arguments = rule.arguments - {"lang"}
            if "lang" not in rule.arguments or "GET" not in rule.methods:
                continue
            if not arguments <= values.keys() or re.search(r"\.\w+/?$", rule.rule):
                continue  # arguments we cannot fill, or a file (CSV, PDF)
            args = {name: values[name] for name in arguments}
            urls[rule.endpoint] = url_for(rule.endpoint, lang="xx", **args)
    return urls


def _visit_in_each_language(client, urls: dict[str, str]) -> set[str]:
    """Fetch every page in the four languages; the endpoints that answered 200."""
    served = set()
    for endpoint, url in urls.items():
        for lang in LANGUAGES:
            address = url.replace("/xx/", f"/{lang}/", 1)
            response = client.get(address, headers={"Accept-Language": "de"})
            assert response.status_code < 500, address
            if response.status_code in (301, 302, 303, 307, 308):
                # To the sign-in page, say: in the same language.
                location = urlsplit(response.headers["Location"]).path
                assert location.startswith(f"/{lang}/"), (address, location)
                continue
            html = response.get_data(as_text=True)
            assert html_lang(html) == lang, address
            if response.status_code != 200:
                continue
            served.add(endpoint)
            alternates = HREFLANG.findall(html)
            assert [code for code, _href in alternates] == list(LANGUAGES), address
            for code, href in alternates:
                assert href == "http://congress.test" + address.replace(f"/{lang}/", f"/{code}/")
            switcher = dict(SWITCHER.findall(html))
            assert sorted(switcher) == sorted(set(LANGUAGES) - {lang}), address
            assert f'<strong lang="{lang}" aria-current="true">' in plain(html)
    return served


def test_every_public_page_answers_in_each_language(client, archive):
    urls = _page_urls(archive)
    served = _visit_in_each_language(client, urls)
    assert {"archive.home", "archive.index", "archive.congress"} <= served


def test_every_page_answers_in_each_language_to_an_administrator(client, archive):
    with archive.app_context():
        admin = User(
            email="admin@example.org",
            password_hash="",
            name="Admin",
            is_admin=True,
            email_confirmed_at=datetime.now(UTC),
        )
        db.session.add(admin)
        db.session.commit()
        admin_id = admin.id
    with client.session_transaction() as session:
        session["_user_id"] = str(admin_id)
        session["_fresh"] = True
    served = _visit_in_each_language(client, _page_urls(archive))
    # Organisers' pages too: the programme, the delegations, the settings.
    assert {"archive.home", "admin.index"} <= served
    assert any(endpoint.startswith("programme_manage.") for endpoint in served)


def test_the_switcher_keeps_the_page_and_its_query_string(client, archive):
    html = client.get("/fr/congresses/?page=2&tag=a&tag=b%20c").get_data(as_text=True)
    switcher = dict(SWITCHER.findall(html))
    assert switcher == {
        "en": "/en/congresses/?page=2&amp;tag=a&amp;tag=b+c",
        "es": "/es/congresses/?page=2&amp;tag=a&amp;tag=b+c",
        "pt": "/pt/congresses/?page=2&amp;tag=a&amp;tag=b+c",
        "ar": "/ar/congresses/?page=2&amp;tag=a&amp;tag=b+c",
        "zh": "/zh/congresses/?page=2&amp;tag=a&amp;tag=b+c",
        "ru": "/ru/congresses/?page=2&amp;tag=a&amp;tag=b+c",
    }
    assert (
        '<strong lang="fr" aria-current="true"><span aria-hidden="true">FR</span>'
        "<span>Français</span></strong>"
    ) in plain(html)
    # Each language is named in itself, whatever the page's language.
    for name in ("English", "Español", "Português", "العربية", "中文", "Русский"):
        assert f"<span>{name}</span></a>" in plain(html)


def test_links_on_a_page_stay_in_its_language(client, archive):
    html = client.get("/pt/congresses/").get_data(as_text=True)
    links = re.findall(r'<h2><a href="([^"]+)"', plain(html))
    assert links == [
        "/pt/congresses/rio-2008/",
        "/pt/congresses/yokohama-2001/",
        "/pt/congresses/stockholm-1996/",
    ]


def test_an_unknown_language_gives_the_404_page_in_the_visitors_language(client, archive):
    response = client.get("/de/congresses/", headers={"Accept-Language": "fr-CH, fr;q=0.9"})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert html_lang(html) == "fr"
    assert "Il n’y a pas de page à cette adresse." in html
    assert '<a href="/fr/">Retour à la page d’accueil</a>' in html
    # The switcher offers the page in the languages we have.
    assert dict(SWITCHER.findall(html))["es"] == "/es/congresses/"

    response = client.get("/xx/", headers={"Accept-Language": "pt-BR"})
    assert response.status_code == 404
    assert html_lang(response.get_data(as_text=True)) == "pt"


def test_a_missing_page_under_a_language_answers_in_that_language(client):
    response = client.get("/es/no-such-page", headers={"Accept-Language": "fr"})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert html_lang(html) == "es"
    assert "No hay ninguna página en esta dirección." in html


def test_the_language_of_each_request_is_its_own(app, archive):
    # A test's app context is shared by its requests: the language must not leak.
    client = app.test_client()
    with app.app_context():
        assert html_lang(client.get("/fr/").get_data(as_text=True)) == "fr"
        assert html_lang(client.get("/es/").get_data(as_text=True)) == "es"
        html = client.get("/en/no-such-page", headers={"Accept-Language": "pt"}).get_data(
            as_text=True
        )
        assert html_lang(html) == "en"
        assert "There is no page at this address." in html


def test_current_language_outside_a_page(app):
    with app.app_context():
        assert current_language() == "en"
    with app.test_request_context("/api/v1/congresses?lang=pt"):
        assert current_language() == "pt"
    with app.test_request_context("/api/v1/congresses", headers={"Accept-Language": "es"}):
        assert current_language() == "es"
    with app.test_request_context("/"):
        assert url_for_language("fr") is None


# --- Content kept per language --------------------------------------------------------------


def test_localize_prefers_the_language_then_the_original_then_english():
    texts = {"en": "Plenary hall", "pt": "Sala plenária", "fr": ""}
    assert localize(texts, "pt", "pt") == ("Sala plenária", "pt")
    assert localize(texts, "pt", "fr") == ("Sala plenária", "pt")  # empty counts as missing
    assert localize(texts, "es", "fr") == ("Plenary hall", "en")
    assert localize({"es": "Sala"}, "pt", "fr") == ("Sala", "es")
    assert localize(None, "en", "fr") == ("", "fr")


class Room:
    def __init__(self, name: dict, original_language: str = "pt"):
        self.name = name
        self.original_language = original_language


def test_localized_markup_marks_a_fallback_with_its_own_lang(app):
    room = Room({"pt": "Sala <Rio> & Cia", "en": "Rio room"})
    with app.test_request_context("/fr/"):
        assert localized_markup(room, "name") == Markup(
            '<span lang="pt">Sala &lt;Rio&gt; &amp; Cia</span>'
        )
        assert localized_text(room, "name") == "Sala <Rio> & Cia"
        assert localized_text(room, "name", "en") == "Rio room"
    with app.test_request_context("/pt/"):
        # In its own language: no wrapper, still escaped.
        assert localized_markup(room, "name") == Markup("Sala &lt;Rio&gt; &amp; Cia")


def test_pages_mark_untranslated_content(client, archive):
    # No source gives Yokohama's name in Portuguese: the English original, marked as English.
    html = client.get("/pt/congresses/yokohama-2001/").get_data(as_text=True)
    assert (
        '<h1><span lang="en">Second World Congress against Commercial Sexual Exploitation of '
        "Children</span></h1>"
    ) in plain(html)
    # Its hosts are translated: no mark.
    assert "Governo do Japão" in html
    assert '<span lang="en">Governo' not in html
    # Rio's themes were written in Portuguese; the French page shows them in Portuguese, marked.
    html = client.get("/fr/congresses/rio-2008/").get_data(as_text=True)
    assert (
        "<h1>Troisième Congrès mondial contre l'exploitation sexuelle des enfants et des "
        "adolescents</h1>"
    ) in plain(html).replace("&#39;", "'")
    assert '<span lang="pt">Marco legal e responsabilização</span>' in html


# --- Dates, times and numbers ---------------------------------------------------------------

RIO = ZoneInfo("America/Sao_Paulo")
OPENING = datetime(2008, 11, 25, 21, 30, tzinfo=UTC)  # 19:30 in Rio, summer time (UTC−2)


@pytest.mark.parametrize(
    ("lang", "same_month", "two_months", "two_years"),
    [
        (
            "en",
            "25–28 November 2008",
            "30 November – 2 December 2008",
            "30 December 2008 – 2 January 2009",
        ),
        (
            "fr",
            "25–28 novembre 2008",
            "30 novembre – 2 décembre 2008",
            "30 décembre 2008 – 2 janvier 2009",
        ),
        (
            "es",
            "25–28 de noviembre de 2008",
            "30 de noviembre – 2 de diciembre de 2008",
            "30 de diciembre de 2008 – 2 de enero de 2009",
        ),
        (
            "pt",
            "25–28 de novembro de 2008",
            "30 de novembro – 2 de dezembro de 2008",
            "30 de dezembro de 2008 – 2 de janeiro de 2009",
        ),
    ],
)
def test_date_ranges(app, lang, same_month, two_months, two_years):
    with app.test_request_context(f"/{lang}/"):
        assert date_range(date(2008, 11, 25), date(2008, 11, 28)) == same_month
        assert date_range(date(2008, 11, 30), date(2008, 12, 2)) == two_months
        assert date_range(date(2008, 12, 30), date(2009, 1, 2)) == two_years
        # One day: the long date, which for every language here ends the range.
        assert date_range(date(2008, 11, 28), date(2008, 11, 28)) == same_month[3:]


@pytest.mark.parametrize(
    ("lang", "day", "when", "figures"),
    [
        (
            "en",
            "Tuesday, 25 November 2008",
            "25 November 2008, 19:30 (UTC−02:00)",
            ("3,500", "1,234.5"),
        ),
        (
            "fr",
            "mardi 25 novembre 2008",
            "25 novembre 2008, 19:30 (UTC−02:00)",
            ("3\u202f500", "1\u202f234,5"),
        ),
        (
            "es",
            "martes, 25 de noviembre de 2008",
            "25 de noviembre de 2008, 19:30 (UTC−02:00)",
            ("3.500", "1.234,5"),
        ),
        (
            "pt",
            "terça-feira, 25 de novembro de 2008",
            "25 de novembro de 2008 19:30 (UTC−02:00)",
            ("3.500", "1.234,5"),
        ),
    ],
)
def test_dates_times_and_numbers(app, lang, day, when, figures):
    with app.test_request_context(f"/{lang}/"):
        assert long_date(date(2008, 11, 25)) == day
        assert local_time(OPENING, RIO) == "19:30"
        assert local_datetime(OPENING, RIO) == when
        assert (number(3500), number(1234.5)) == figures


def test_times_are_in_the_congress_zone_with_the_offset_in_force(app):
    with app.test_request_context("/en/"):
        # Stockholm in August: summer time.
        stockholm = ZoneInfo("Europe/Stockholm")
        instant = datetime(1996, 8, 27, 8, 0, tzinfo=UTC)
        assert (local_time(instant, stockholm), utc_offset(instant, stockholm)) == (
            "10:00",
            "UTC+02:00",
        )
        tokyo = ZoneInfo("Asia/Tokyo")
        instant = datetime(2001, 12, 17, 1, 0, tzinfo=UTC)
        assert (local_time(instant, tokyo), utc_offset(instant, tokyo)) == ("10:00", "UTC+09:00")
        # Rio left summer time on 15 February 2009: the offset follows the instant.
        assert utc_offset(datetime(2009, 3, 1, 12, tzinfo=UTC), RIO) == "UTC−03:00"
        assert utc_offset(OPENING, RIO) == "UTC−02:00"


def test_english_dates_follow_international_usage():
    assert FORMAT_LOCALES["en"] == "en_GB"


def test_country_names_on_pages_follow_the_language(client, archive):
    assert "Rio de Janeiro, Brésil" in client.get("/fr/congresses/rio-2008/").get_data(as_text=True)
    assert "Yokohama, Japón" in client.get("/es/congresses/yokohama-2001/").get_data(as_text=True)


# --- Flash messages, form errors, mails and error pages in the user's language --------------


class DelegateForm(FlaskForm):
    family_name = StringField(_l("Family name"), validators=[DataRequired()])
    given_names = StringField(_l("Given names"), validators=[Length(min=2)])
    age = IntegerField()


@pytest.fixture
def form_app(app):
    """The app with a form page and a page that flashes, for these tests only."""

    def form_page():
        form = DelegateForm()
        form.validate_on_submit()
        return {"errors": form.errors, "label": str(form.family_name.label.text)}

    def flashing():
        flash(_("Too many attempts. Please wait a moment and try again."), "error")
        return redirect(url_for("archive.index"))

    app.add_url_rule("/<lang>/test-form", "test_form", form_page, methods=["GET", "POST"])
    app.add_url_rule("/<lang>/test-flash", "test_flash", flashing)
    return app


@pytest.mark.parametrize(
    ("lang", "required", "too_short", "not_a_number"),
    [
        (
            "en",
            "This field is required.",
            "Field must be at least 2 characters long.",
            "Not a valid integer value.",
        ),
        (
            "fr",
            "Ce champ est requis.",
            "Le champ doit contenir au moins 2 caractères.",
            "N'est pas un entier valide.",
        ),
        (
            "es",
            "Este campo es obligatorio.",
            "El campo debe tener al menos 2 caracteres.",
            "No es un valor entero válido.",
        ),
        ("pt", "Campo obrigatório.", None, "O valor inteiro não é válido."),
    ],
)
def test_wtforms_own_messages_come_in_the_page_language(
    form_app, lang, required, too_short, not_a_number
):
    client = form_app.test_client()
    response = client.post(f"/{lang}/test-form", data={"given_names": "A", "age": "many"})
    errors = response.get_json()["errors"]
    assert errors["family_name"] == [required]
    assert errors["age"][0] == not_a_number
    if too_short:
        assert errors["given_names"] == [too_short]


def test_form_labels_are_translated_when_shown(form_app):
    client = form_app.test_client()
    assert client.get("/fr/test-form").get_json()["label"] == "Nom de famille"
    assert client.get("/pt/test-form").get_json()["label"] == "Sobrenome"


def test_flash_messages_come_in_the_page_language(form_app, archive):
    client = form_app.test_client()
    response = client.get("/fr/test-flash", follow_redirects=True)
    assert response.request.path == "/fr/congresses/"
    assert (
        "<h2>Il y a un problème</h2>\n"
        "          <div><p>Trop de tentatives. Veuillez patienter un instant et réessayer.</p>"
    ) in plain(response.get_data(as_text=True))


def test_a_mail_is_written_in_its_recipients_language(app):
    ana = User(id=7, email="ana@example.org", name="Ana", language="pt", password_hash="")
    # Sent from a French page, to a reader of Portuguese.
    with app.test_request_context("/fr/account/sign-up"):
        message = send_mail(
            ana.email,
            ana.language,
            _l("Confirm your email address"),
            "confirm_email",
            user=ana,
            token="the-token",
            valid_for=timedelta(days=3),
        )
        assert current_language() == "fr"
    assert message["Content-Language"] == "pt"
    assert message["Subject"] == "Confirme seu endereço de e-mail"
    body = message.get_content()
    assert body.startswith("Olá, Ana,\n")
    assert "Confirme o endereço de e-mail da sua conta abrindo este link:" in body
    assert "http://congress.test/pt/account/confirm/the-token" in body
    assert "O link funciona por 3 dias." in body
    assert "Congressos Mundiais" in body


@pytest.mark.parametrize(
    ("lang", "forbidden", "broken"),
    [
        ("fr", "Vous n’avez pas accès à cette page.", "Une erreur s’est produite de notre côté."),
        ("es", "No tiene permiso para ver esta página.", "Algo salió mal por nuestra parte."),
        ("pt", "Você não tem permissão para ver esta página.", "Algo deu errado do nosso lado."),
    ],
)
def test_error_pages_come_in_the_page_language(app, lang, forbidden, broken):
    from flask import abort

    def refuse():
        abort(403)

    def fail():
        raise RuntimeError("boom")

    app.add_url_rule("/<lang>/test-refuse", "test_refuse", refuse)
    app.add_url_rule("/<lang>/test-fail", "test_fail", fail)
    client = app.test_client()
    response = client.get(f"/{lang}/test-refuse")
    assert response.status_code == 403
    assert html_lang(response.get_data(as_text=True)) == lang
    assert forbidden in response.get_data(as_text=True)
    response = client.get(f"/{lang}/test-fail")
    assert response.status_code == 500
    assert broken in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "ranges", "day", "when", "figures"),
    [
        # CLDR's "ar" (Modern Standard Arabic) with the digits 0-9, as UN documents in Arabic
        # write them, and a 24-hour clock where CLDR's Arabic has "7:30 م".
        (
            "ar",
            ("25–28 نوفمبر 2008", "30 نوفمبر – 2 ديسمبر 2008", "30 ديسمبر 2008 – 2 يناير 2009"),
            "الثلاثاء، 25 نوفمبر 2008",
            "25 نوفمبر 2008، 19:30 (UTC−02:00)",
            ("3,500", "1,234.5"),
        ),
        # Chinese joins a range with 至 and leaves out of its end what its start said.
        (
            "zh",
            ("2008年11月25日至28日", "2008年11月30日至12月2日", "2008年12月30日至2009年1月2日"),
            "2008年11月25日星期二",
            "2008年11月25日 19:30 (UTC−02:00)",
            ("3,500", "1,234.5"),
        ),
        (
            "ru",
            (
                "25–28 ноября 2008\u202fг.",
                "30 ноября – 2 декабря 2008\u202fг.",
                "30 декабря 2008\u202fг. – 2 января 2009\u202fг.",
            ),
            "вторник, 25 ноября 2008\u202fг.",
            "25 ноября 2008\u202fг., 19:30 (UTC−02:00)",
            ("3\xa0500", "1\xa0234,5"),
        ),
    ],
)
def test_dates_and_numbers_in_arabic_chinese_and_russian(app, lang, ranges, day, when, figures):
    with app.test_request_context(f"/{lang}/"):
        assert (
            date_range(date(2008, 11, 25), date(2008, 11, 28)),
            date_range(date(2008, 11, 30), date(2008, 12, 2)),
            date_range(date(2008, 12, 30), date(2009, 1, 2)),
        ) == ranges
        assert long_date(date(2008, 11, 25)) == day
        assert local_time(OPENING, RIO) == "19:30"
        assert local_datetime(OPENING, RIO) == when
        assert (number(3500), number(1234.5)) == figures


def test_arabic_pages_read_right_to_left_and_mark_a_fallback_with_its_direction(app, client):
    room = Room({"en": "Plenary hall"}, original_language="en")
    with app.test_request_context("/ar/"):
        assert localized_markup(room, "name") == Markup(
            '<span lang="en" dir="ltr">Plenary hall</span>'
        )
    with app.test_request_context("/zh/"):
        assert localized_markup(room, "name") == Markup('<span lang="en">Plenary hall</span>')
    with app.test_request_context("/en/"):
        arabic = Room({"ar": "القاعة العامة"}, original_language="ar")
        assert localized_markup(arabic, "name") == Markup(
            '<span lang="ar" dir="rtl">القاعة العامة</span>'
        )
    html = client.get("/ar/").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl" class="govuk-template">' in html
    assert '<html lang="ru" dir="ltr" class="govuk-template">' in client.get("/ru/").get_data(
        as_text=True
    )
