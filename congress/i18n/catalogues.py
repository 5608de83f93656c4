"""The message catalogues in ``translations/``: extract, update, compile and check.

The round after new strings land in the code::

    flask --app congress translate update    # extract, merge into every .po
    flask --app congress translate sheet todo.toml   # what is left, every language side by side
    (translate in todo.toml, or in the .po files directly)
    flask --app congress translate fill todo.toml    # back into the .po files
    flask --app congress translate compile   # .po -> .mo
    flask --app congress translate check     # nothing missing, fuzzy or stale

Each step is a plain function on a project folder, so tests run them on a copy.
"""

from __future__ import annotations

import io
import json
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import click
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po
from flask.cli import AppGroup

from congress.paths import PROJECT_ROOT

DOMAIN = "messages"
# The languages translated from the English of the sources.
TRANSLATED_LANGUAGES = ("fr", "es", "pt", "ar", "zh", "ru")
# How many plural forms a sheet gives for a language when it is not every form of
# the catalogue: French, Spanish and Portuguese give [one, other], and Babel's third
# form ("many", for round millions: "1 000 000 de délégués") takes the "other".
SHEET_PLURALS = {"fr": 2, "es": 2, "pt": 2}
# Babel's defaults, and Flask-Babel's lazy forms (``_l`` is lazy_gettext).
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "lazy_pgettext": ((1, "c"), 2),
    "gettext_noop": None,
}
COMMENT_TAGS = ("TRANSLATORS:",)

# %(name)s, %s, %d, %.1f (but not %%), and str.format's {name} (but not {{).
_PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<conv>[diouxXeEfFgGcrsa%])"
    r"|(?<!\{)\{(?P<field>[^{}]*)\}(?!\})"
)


def translations_dir(root: Path = PROJECT_ROOT) -> Path:
    return root / "translations"


def po_path(lang: str, root: Path = PROJECT_ROOT) -> Path:
    return translations_dir(root) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str, root: Path = PROJECT_ROOT) -> Path:
    return po_path(lang, root).with_suffix(".mo")


def extract(root: Path = PROJECT_ROOT) -> Catalog:
    """Every message marked for translation in the sources ``babel.cfg`` names."""
    with open(root / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    template = _new_catalog(None)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root),
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    ):
        template.add(
            message,
            None,
            [(Path(filename).as_posix(), lineno)],
            auto_comments=comments,
            context=context,
        )
    return template


def write_template(root: Path = PROJECT_ROOT) -> Path:
    """``translations/messages.pot``, for a translator working outside the project."""
    path = translations_dir(root) / f"{DOMAIN}.pot"
    _write_po(path, extract(root))
    return path


def update(root: Path = PROJECT_ROOT) -> dict[str, int]:
    """Merge the messages of the sources into each language's catalogue.

    New messages come in untranslated; changed ones come in fuzzy with the old
    translation as a suggestion; messages gone from the sources are dropped.
    Returns how many entries each language has left to translate.
    """
    template = extract(root)
    left: dict[str, int] = {}
    for lang in TRANSLATED_LANGUAGES:
        path = po_path(lang, root)
        catalog = _read_po(path) if path.exists() else _new_catalog(lang)
        before = _entries(catalog)
        catalog.update(template, update_creation_date=False)
        catalog.obsolete.clear()
        if _entries(catalog) != before or not path.exists():
            catalog.creation_date = template.creation_date
            _write_po(path, catalog)
        left[lang] = sum(1 for m in _messages(catalog) if _untranslated(m) or m.fuzzy)
    return left


def compile_catalogues(root: Path = PROJECT_ROOT) -> list[Path]:
    """Write each ``.mo`` from its ``.po`` (fuzzy entries left out); returns those rewritten."""
    written = []
    for lang in TRANSLATED_LANGUAGES:
        buffer = io.BytesIO()
        write_mo(buffer, _read_po(po_path(lang, root)), use_fuzzy=False)
        path = mo_path(lang, root)
        if not path.exists() or path.read_bytes() != buffer.getvalue():
            path.write_bytes(buffer.getvalue())
            written.append(path)
    return written


def write_sheet(path: Path, root: Path = PROJECT_ROOT) -> int:
    """Write the entries still to translate, every language side by side, as TOML.

    One ``[[message]]`` per msgid that is untranslated or fuzzy in any language,
    with where it is used and the current (or suggested) translations, so that a
    translator fills every language together. A plural is a list of every form
    of its language in Babel's order (two in French, three in Russian, six in
    Arabic, one in Chinese). Returns how many.
    """
    catalogs = {lang: _read_po(po_path(lang, root)) for lang in TRANSLATED_LANGUAGES}
    lines = [
        f"# Translate each message into {', '.join(TRANSLATED_LANGUAGES)}; then",
        "# `flask --app congress translate fill` this file. Plurals: every form of the",
        "# language in Babel's order ("
        + ", ".join(f"{lang} {_sheet_plurals(lang, catalogs[lang])}" for lang in catalogs)
        + "). Keep every %(name)s placeholder.",
    ]
    count = 0
    for message in _messages(catalogs["fr"]):
        entries = {lang: catalogs[lang].get(message.id, message.context) for lang in catalogs}
        if not any(e is None or e.fuzzy or _untranslated(e) for e in entries.values()):
            continue
        count += 1
        lines += ["", "[[message]]", f"msgid = {_toml(_msgid(message))}"]
        if message.pluralizable:
            lines.append(f"msgid_plural = {_toml(message.id[1])}")
        if message.context:
            lines.append(f"context = {_toml(message.context)}")
        lines.append(f"where = {_toml(', '.join(sorted({loc for loc, _ in message.locations})))}")
        for lang, entry in entries.items():
            value = entry.string if entry is not None and not _untranslated(entry) else None
            if message.pluralizable:
                forms = _sheet_forms(lang, catalogs[lang], value)
                lines.append(f"{lang} = [{', '.join(_toml(form) for form in forms)}]")
            else:
                lines.append(f"{lang} = {_toml(value or '')}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return count


def fill(path: Path, root: Path = PROJECT_ROOT) -> int:
    """Put the translations of a sheet (see :func:`write_sheet`) into the catalogues.

    Empty translations are skipped. A plural gives every form of its language,
    or [one, other] in French, Spanish and Portuguese; any other count is refused
    (:class:`SheetError`) before anything is written. French gets its no-break
    spaces before ``: ; ? !`` and inside « ». Returns how many entries were filled.
    """
    sheet = read_sheet(path)
    catalogs = {lang: _read_po(po_path(lang, root)) for lang in TRANSLATED_LANGUAGES}
    changes: list[tuple[Message, str | tuple]] = []
    for lang, catalog in catalogs.items():
        for row in sheet:
            message = catalog.get(row["msgid"], row.get("context"))
            forms = row.get(lang) or []
            forms = [forms] if isinstance(forms, str) else forms
            if message is None or not forms or not all(forms):
                continue
            if lang == "fr":
                forms = [_french_spacing(form) for form in forms]
            if message.pluralizable:
                changes.append((message, _catalogue_forms(path, lang, catalog, row, forms)))
            else:
                changes.append((message, forms[0]))
    for message, string in changes:
        message.string = string
        message.flags.discard("fuzzy")
    for lang, catalog in catalogs.items():
        _write_po(po_path(lang, root), catalog)
    return len(changes)


def _sheet_plurals(lang: str, catalog: Catalog) -> int:
    return SHEET_PLURALS.get(lang, catalog.num_plurals)


def _sheet_forms(lang: str, catalog: Catalog, value: str | tuple | None) -> list[str]:
    """A plural's forms as a sheet gives them: every form, or [one, other]."""
    count = _sheet_plurals(lang, catalog)
    if not value:
        return [""] * count
    forms = list(value)
    return forms if len(forms) == count else [forms[0], forms[-1]]


def _catalogue_forms(path: Path, lang: str, catalog: Catalog, row: dict, forms: list) -> tuple:
    if len(forms) == catalog.num_plurals:
        return tuple(forms)
    if len(forms) == 2 and _sheet_plurals(lang, catalog) == 2:
        # [one, other] over the language's forms: CLDR's "many" reads as "other".
        return tuple([forms[0]] + [forms[-1]] * (catalog.num_plurals - 1))
    raise SheetError(
        f"{path}: {lang} of {row['msgid']!r} has {len(forms)} plural forms, "
        f"the language has {_sheet_plurals(lang, catalog)}"
    )


class SheetError(ValueError):
    """A file that is not a sheet written by :func:`write_sheet`."""


def read_sheet(path: Path) -> list[dict]:
    """The ``[[message]]`` rows of a sheet, each with its ``msgid``; :class:`SheetError` if not."""
    try:
        sheet = tomllib.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SheetError(f"{path} is not a TOML sheet: {error}") from error
    rows = sheet.get("message", [])
    if not isinstance(rows, list):
        raise SheetError(f"{path}: `message` is not a list of [[message]] tables")
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not isinstance(row.get("msgid"), str):
            raise SheetError(f"{path}: [[message]] number {number} has no msgid")
        for lang in TRANSLATED_LANGUAGES:
            forms = row.get(lang, "")
            if not isinstance(forms, str) and not (
                isinstance(forms, list) and all(isinstance(f, str) for f in forms)
            ):
                raise SheetError(
                    f"{path}: {lang} of {row['msgid']!r} is neither a text nor a list of texts"
                )
    return rows


def _french_spacing(text: str) -> str:
    text = re.sub(r" :(?=\s|$)", "\u00a0:", text)
    text = re.sub(r" ([;?!])", "\u202f\\1", text)
    return text.replace("« ", "«\u00a0").replace(" »", "\u00a0»")


def _toml(text: str) -> str:
    # A JSON string is a valid TOML basic string.
    return json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True)
class Problem:
    lang: str
    msgid: str
    what: str

    def __str__(self) -> str:
        return f"{self.lang}: {self.what}: {self.msgid!r}"


def problems(catalog: Catalog, lang: str) -> Iterator[Problem]:
    """Untranslated and fuzzy entries, and translations whose placeholders differ."""
    for message in _messages(catalog):
        msgid = _msgid(message)
        if message.fuzzy:
            yield Problem(lang, msgid, "fuzzy")
        elif _untranslated(message):
            yield Problem(lang, msgid, "untranslated")
        elif not placeholders_match(message):
            yield Problem(lang, msgid, "placeholders differ")


def missing(template: Catalog, catalog: Catalog, lang: str) -> Iterator[Problem]:
    """Messages of the sources that the catalogue does not hold."""
    for message in _messages(template):
        if catalog.get(message.id, message.context) is None:
            yield Problem(lang, _msgid(message), "not in the catalogue")


def misplaced(template: Catalog, catalog: Catalog, lang: str) -> Iterator[Problem]:
    """Entries whose source references are not the files the message is in now.

    `translate update` keeps them right; an entry moved by hand, or a catalogue not
    updated after code moved, shows a translator the wrong place to look.
    """
    for message in _messages(template):
        entry = catalog.get(message.id, message.context)
        if entry is None:
            continue
        where, said = _files(message), _files(entry)
        if where != said:
            yield Problem(
                lang,
                _msgid(message),
                f"referenced in {', '.join(said) or 'no file'}, used in {', '.join(where)}",
            )


def _files(message: Message) -> list[str]:
    return sorted({filename for filename, _line in message.locations})


def stale(lang: str, root: Path = PROJECT_ROOT) -> Iterator[Problem]:
    """Entries whose compiled translation differs from the ``.po``, or a missing ``.mo``."""
    path = mo_path(lang, root)
    if not path.exists():
        yield Problem(lang, "", f"{path.name} missing: run `flask translate compile`")
        return
    with open(path, "rb") as f:
        compiled = {_key(m): _tuple(m.string) for m in _messages(read_mo(f))}
    expected = {
        _key(m): _tuple(m.string)
        for m in _messages(_read_po(po_path(lang, root)))
        if not m.fuzzy and not _untranslated(m)
    }
    for key in expected.keys() | compiled.keys():
        if compiled.get(key) != expected.get(key):
            yield Problem(lang, _msgid_of(key[0]), "compiled catalogue is stale")


def check(root: Path = PROJECT_ROOT) -> list[Problem]:
    """Everything that stands between the sources and complete, compiled catalogues."""
    template = extract(root)
    found: list[Problem] = []
    for lang in TRANSLATED_LANGUAGES:
        catalog = _read_po(po_path(lang, root))
        found += missing(template, catalog, lang)
        found += misplaced(template, catalog, lang)
        found += problems(catalog, lang)
        found += stale(lang, root)
    return found


def placeholders(text: str) -> Counter:
    """The placeholders of ``text``: named ones by name, positional ones by position."""
    found: Counter = Counter()
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        if match["conv"] == "%":
            continue
        if match["field"] is not None:
            found["{" + match["field"] + "}"] += 1
        elif match["name"] is not None:
            found[f"%({match['name']}){match['conv']}"] += 1
        else:
            found[f"%{position}{match['conv']}"] += 1
            position += 1
    return found


def placeholders_match(message: Message) -> bool:
    """Whether each translation uses the placeholders of its msgid.

    A plural form may leave out the number ("un seul délégué"), but no form
    may bring a placeholder of its own, and the forms together use them all.
    """
    if not message.pluralizable:
        return placeholders(message.string) == placeholders(message.id)
    allowed = placeholders(message.id[0]) | placeholders(message.id[1])
    used: Counter = Counter()
    for form in message.string:
        found = placeholders(form)
        if found - allowed:
            return False
        used |= found
    return used == allowed


def _messages(catalog: Catalog) -> Iterator[Message]:
    return (m for m in catalog if m.id)


def _untranslated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return not all(s and s.strip() for s in strings)


def _tuple(value: str | list | tuple) -> str | tuple:
    return tuple(value) if isinstance(value, (list, tuple)) else value


def _key(message: Message) -> tuple:
    return (_tuple(message.id), message.context)


def _msgid(message: Message) -> str:
    return _msgid_of(message.id)


def _msgid_of(msgid: str | tuple) -> str:
    return msgid[0] if isinstance(msgid, (list, tuple)) else msgid


def _entries(catalog: Catalog) -> list[tuple]:
    """What the written ``.po`` holds of each entry (files without line numbers)."""
    return [
        (
            _tuple(m.id),
            m.context,
            _tuple(m.string),
            tuple(sorted(m.flags)),
            tuple(m.auto_comments),
            tuple(_files(m)),
        )
        for m in _messages(catalog)
    ]


def _new_catalog(lang: str | None) -> Catalog:
    catalog = Catalog(
        locale=lang,
        domain=DOMAIN,
        project="Congress",
        version=_version(),
        copyright_holder="the Congress contributors",
        msgid_bugs_address="",
        last_translator="the Congress contributors",
        language_team=f"{lang} (Congress)" if lang else None,
        charset="utf-8",
        fuzzy=False,
    )
    language = f"{Locale.parse(lang).english_name} translations" if lang else "Messages"
    catalog.header_comment = (
        f"# {language} for Congress.\n"
        "# Distributed under the same license as the Congress project (MIT)."
    )
    return catalog


def _version() -> str:
    try:
        return metadata.version("congress")
    except metadata.PackageNotFoundError:
        return "0"


def _read_po(path: Path) -> Catalog:
    with open(path, "rb") as f:
        return read_po(f, locale=path.parent.parent.name, domain=DOMAIN)


def _write_po(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    # File names without line numbers: code that only moves leaves the catalogues alone.
    write_po(buffer, catalog, width=100, include_lineno=False, ignore_obsolete=True)
    path.write_bytes(buffer.getvalue())


translate_cli = AppGroup("translate", help="The message catalogues in translations/.")


def _source_tree() -> Path:
    """The project's folder: the catalogues are worked on in a checkout, not in a wheel."""
    if not (PROJECT_ROOT / "babel.cfg").is_file():
        raise click.ClickException(
            "The catalogues are extracted and compiled in a checkout of the project's source "
            f"(with its babel.cfg), not in an installed package ({PROJECT_ROOT})."
        )
    return PROJECT_ROOT


@translate_cli.command("extract")
def extract_command() -> None:
    """Write translations/messages.pot from the sources (for an outside translator)."""
    click.echo(f"Wrote {write_template(_source_tree())}")


@translate_cli.command("update")
def update_command() -> None:
    """Extract the messages of the sources and merge them into every catalogue."""
    for lang, count in update(_source_tree()).items():
        click.echo(f"{lang}: {count} to translate" if count else f"{lang}: complete")


@translate_cli.command("compile")
def compile_command() -> None:
    """Compile every catalogue (.po -> .mo)."""
    root = _source_tree()
    written = compile_catalogues(root)
    for path in written:
        click.echo(f"Compiled {path.relative_to(root)}")
    if not written:
        click.echo("Every compiled catalogue is up to date.")


@translate_cli.command("sheet")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def sheet_command(path: Path) -> None:
    """Write the messages still to translate, every language side by side, to PATH (TOML)."""
    root = _source_tree()
    try:
        count = write_sheet(path, root)
    except OSError as error:
        raise click.ClickException(f"{path} cannot be written: {error.strerror}") from error
    click.echo(f"{count} messages to translate in {path}" if count else "Nothing to translate.")


@translate_cli.command("fill")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def fill_command(path: Path) -> None:
    """Put the translations of a sheet written by `translate sheet` into the catalogues."""
    root = _source_tree()
    try:
        filled = fill(path, root)
    except SheetError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{filled} translations filled in; now `flask --app congress translate compile`.")


@translate_cli.command("check")
def check_command() -> None:
    """List messages missing, untranslated, fuzzy, misplaced, with other placeholders, or not
    compiled."""
    found = check(_source_tree())
    for problem in found:
        click.echo(str(problem))
    if found:
        raise click.ClickException(f"{len(found)} problems in the catalogues")
    click.echo("Every catalogue is complete and compiled.")
