"""The command line: every --help before any database exists, and clear refusals of bad
arguments, each with the message a person reads instead of a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from babel.messages.catalog import Catalog
from click.testing import CliRunner
from flask.cli import FlaskGroup
from sqlalchemy import select

from congress import create_app
from congress.congresses.models import Congress
from congress.demo import DemoSize, build_demo
from congress.extensions import db
from congress.i18n import catalogues
from congress.paths import PROJECT_ROOT
from tests.test_migrations import empty_database

NO_SCHEMA = "has no schema yet. Run `flask --app congress db upgrade` to build it"


def flask_cli(tmp_path, url: str) -> FlaskGroup:
    """``flask --app congress`` as the shell runs it: the app built by the command line,
    with the schema check on."""

    def factory():
        return create_app(
            {
                "INSTANCE_PATH": str(tmp_path / "instance"),
                "DATABASE_URL": url,
                "SECRET_KEY": "test",
                "SCHEMA_CHECK": True,
            }
        )

    return FlaskGroup(create_app=factory, load_dotenv=False, set_debug_flag=False)


def every_command(group: click.Group, ctx: click.Context, prefix=()) -> list[tuple[str, ...]]:
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += every_command(command, ctx, (*prefix, name))
    return found


def test_every_help_works_before_the_database_has_a_schema(tmp_path, database_url):
    with empty_database(database_url, tmp_path) as url:
        cli = flask_cli(tmp_path, url)
        listing = CliRunner().invoke(cli, ["--help"])
        assert listing.exit_code == 0, listing.output
        listed = listing.output.split("Commands:\n", 1)[1].splitlines()
        assert {"archive", "db", "demo-data", "export", "import", "search", "translate"} <= {
            line.split()[0] for line in listed
        }
        with cli.make_context("flask", [], resilient_parsing=True) as ctx:
            commands = every_command(cli, ctx)
        assert {
            ("users", "create-admin"),
            ("archive", "load"),
            ("search", "rebuild"),
            ("export",),
            ("import",),
            ("demo-data",),
            ("translate", "update"),
            ("db", "upgrade"),
        } <= set(commands)
        for command in commands:
            result = CliRunner().invoke(cli, [*command, "--help"], prog_name="flask")
            assert result.exit_code == 0, (command, result.output)
            assert result.output.startswith(f"Usage: flask {' '.join(command)} "), command
        # A command that reads the database still refuses, with what to run.
        refused = CliRunner().invoke(cli, ["archive", "load"])
        assert refused.exit_code == 1
        assert NO_SCHEMA in refused.output
        assert refused.exception is None or isinstance(refused.exception, SystemExit)


def test_flask_help_in_a_shell_before_db_upgrade(tmp_path):
    env = {
        **os.environ,
        "CONGRESS_DATABASE_URL": f"sqlite:///{tmp_path}/none.sqlite3",
        "CONGRESS_INSTANCE_PATH": str(tmp_path / "instance"),
        "CONGRESS_SECRET_KEY": "test",
    }
    for args in (["--help"], ["users", "--help"], ["demo-data", "--help"]):
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "congress", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert "Usage: python -m flask" in result.stdout
        assert "Traceback" not in result.stderr


# --- demo-data ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--delegations", "0", "Invalid value for '--delegations': 0 is not in the range x>=1."),
        ("--delegations", "-1", "Invalid value for '--delegations': -1 is not in the range x>=1."),
        ("--delegates", "-1", "Invalid value for '--delegates': -1 is not in the range x>=0."),
        ("--sessions", "-3", "Invalid value for '--sessions': -3 is not in the range x>=0."),
        ("--rooms", "0", "Invalid value for '--rooms': 0 is not in the range x>=1."),
        ("--days", "0", "Invalid value for '--days': 0 is not in the range x>=1."),
        ("--days", "-2", "Invalid value for '--days': -2 is not in the range x>=1."),
        ("--days", "two", "Invalid value for '--days': 'two' is not a valid integer range."),
        ("--seed", "x", "Invalid value for '--seed': 'x' is not a valid integer."),
    ],
)
def test_demo_data_refuses_zeros_and_negatives(runner, option, value, message):
    result = runner.invoke(args=["demo-data", option, value])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == f"Error: {message}"


def test_a_demo_that_cannot_be_built_leaves_the_existing_one(app, runner):
    with app.app_context():
        build_demo(DemoSize(delegations=2, delegates=4, sessions=3, rooms=1, days=1))
        first = db.session.scalar(select(Congress.id).where(Congress.is_demo))
    result = runner.invoke(args=["demo-data", "--sessions", "9", "--rooms", "1", "--days", "1"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: 9 sessions do not fit in 1 rooms over 1 days (8 a day in each room)"
    )
    with app.app_context():
        assert db.session.scalars(select(Congress.id).where(Congress.is_demo)).all() == [first]


def test_the_demo_builder_checks_its_size_itself():
    with pytest.raises(ValueError, match="^delegations must be at least 1, not 0$"):
        DemoSize(delegations=0)
    with pytest.raises(ValueError, match="^days must be at least 1, not -1$"):
        DemoSize(days=-1)
    # The smallest demo there is: one delegation, one room, one day, nobody.
    assert DemoSize(delegations=1, delegates=0, sessions=0, rooms=1, days=1).sessions == 0


def test_the_smallest_demo_builds(app, runner):
    result = runner.invoke(
        args=[
            "demo-data",
            "--delegations",
            "1",
            "--delegates",
            "0",
            "--sessions",
            "0",
            "--rooms",
            "1",
            "--days",
            "1",
        ]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "Demo congress 'demo': 1 delegations, 0 delegates, 0 sessions."
    )
    with app.app_context():
        demo = db.session.scalar(select(Congress).where(Congress.is_demo))
        assert demo.start_date == demo.end_date


# --- export, import, users ----------------------------------------------------------------


def test_export_into_a_folder_that_does_not_exist(runner, tmp_path):
    target = tmp_path / "no-such-folder" / "backup.json"
    result = runner.invoke(args=["export", str(target)])
    assert result.exit_code == 1
    assert result.output == f"Error: {target} cannot be written: No such file or directory\n"


def test_export_onto_a_folder(runner, tmp_path):
    result = runner.invoke(args=["export", str(tmp_path)])
    assert result.exit_code == 2
    assert f"Error: Invalid value for 'FILE': File '{tmp_path}' is a directory." in result.output


def test_import_of_a_missing_file_and_of_a_file_that_is_no_export(runner, tmp_path):
    missing = tmp_path / "missing.json"
    result = runner.invoke(args=["import", str(missing)])
    assert result.exit_code == 2
    assert f"Error: Invalid value for 'FILE': File '{missing}' does not exist." in result.output
    other = tmp_path / "other.json"
    other.write_text('{"format": "something else"}')
    result = runner.invoke(args=["import", str(other)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {other} is not a Congress export (format 'congress-export' expected).\n"
    )


def test_commands_refuse_extra_arguments(runner):
    for args in (["archive", "load", "extra"], ["search", "rebuild", "extra"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 2
        assert result.output.splitlines()[-1] == "Error: Got unexpected extra argument (extra)"
    result = runner.invoke(args=["users", "create-admin"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "Error: Missing argument 'EMAIL'."


# --- translate ----------------------------------------------------------------------------


def test_translate_fill_refuses_a_file_that_is_not_a_sheet(runner, tmp_path):
    not_toml = tmp_path / "notes.toml"
    not_toml.write_text("just some notes\n")
    result = runner.invoke(args=["translate", "fill", str(not_toml)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {not_toml} is not a TOML sheet: ")
    no_msgid = tmp_path / "rows.toml"
    no_msgid.write_text('[[message]]\nfr = "Bonjour"\n')
    result = runner.invoke(args=["translate", "fill", str(no_msgid)])
    assert result.output == f"Error: {no_msgid}: [[message]] number 1 has no msgid\n"
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('[[message]]\nmsgid = "Save"\nfr = 3\n')
    result = runner.invoke(args=["translate", "fill", str(wrong)])
    assert result.output == f"Error: {wrong}: fr of 'Save' is neither a text nor a list of texts\n"


def test_translate_sheet_into_a_folder_that_does_not_exist(runner, tmp_path):
    target = tmp_path / "nowhere" / "todo.toml"
    result = runner.invoke(args=["translate", "sheet", str(target)])
    assert result.exit_code == 1
    assert result.output == f"Error: {target} cannot be written: No such file or directory\n"


def test_translate_refuses_to_work_in_an_installed_package(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(catalogues, "PROJECT_ROOT", tmp_path / "site-packages")
    for command in ("update", "compile", "check", "extract"):
        result = runner.invoke(args=["translate", command])
        assert result.exit_code == 1
        assert result.output.startswith(
            "Error: The catalogues are extracted and compiled in a checkout of the project's "
            "source (with its babel.cfg), not in an installed package"
        )


def test_a_source_reference_to_the_wrong_file_is_a_problem():
    template = Catalog(locale=None)
    template.add("Account", locations=[("congress/audit/labels.py", 3), ("templates/base.html", 9)])
    catalog = Catalog(locale="fr")
    catalog.add("Account", "Compte", locations=[("congress/admin/labels.py", None)])
    assert [(p.msgid, p.what) for p in catalogues.misplaced(template, catalog, "fr")] == [
        (
            "Account",
            "referenced in congress/admin/labels.py, "
            "used in congress/audit/labels.py, templates/base.html",
        )
    ]
    catalog["Account"].locations = [("templates/base.html", None), ("congress/audit/labels.py", 1)]
    assert list(catalogues.misplaced(template, catalog, "fr")) == []


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """The project's files (those git keeps or would keep) in a repository of their own."""
    copy = tmp_path / "project"
    listed = _git(PROJECT_ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    for name in filter(None, listed.split("\0")):
        source = PROJECT_ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    _git(copy, "init", "-q")
    _git(copy, "add", "-A")
    _git(copy, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "copy")
    return copy


def test_update_then_compile_leave_an_unchanged_tree_clean(project_copy, tmp_path):
    """The translator's round on a tree whose catalogues are current writes nothing; the
    files it writes that are not kept (messages.pot) and the build's are ignored."""
    env = {**os.environ, "CONGRESS_INSTANCE_PATH": str(tmp_path / "instance")}
    env.pop("PYTHONPATH", None)
    said = {}
    for command in ("update", "compile", "extract"):
        # Run from the copy, whose congress/ comes first on the path: the copy's own files.
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "congress", "translate", command],
            cwd=project_copy,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        said[command] = result.stdout
    assert said["update"] == "".join(
        f"{lang}: complete\n" for lang in ("fr", "es", "pt", "ar", "zh", "ru")
    )
    assert said["compile"] == "Every compiled catalogue is up to date.\n"
    # Written in the copy, so by the copy's code.
    assert (project_copy / "translations" / "messages.pot").is_file()
    (project_copy / "dist").mkdir()
    (project_copy / "dist" / "congress-0.1.0-py3-none-any.whl").write_bytes(b"")
    assert _git(project_copy, "status", "--porcelain", "--untracked-files=all") == ""
