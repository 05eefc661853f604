"""zh-TW command-line help throughout (issue 28): `python -m kpi --help` and every command's
--help show no English sentence; command, option and argument names and metavars stay as SPEC
§7/§8 name them."""

from __future__ import annotations

import re
import subprocess
import sys

import click
import pytest
import typer
from typer.testing import CliRunner

from kpi.cli import app
from kpi.config.paths import REPO_ROOT

CJK = re.compile(r"[\u4e00-\u9fff]")
# three English words in a row (an option name, a metavar or a choice list is at most two)
SENTENCE = re.compile(r"(?<![-\w/.])[A-Za-z][a-z]+(?:[ ,]+[A-Za-z][a-z]+){2,}")


def _commands() -> list[tuple[list[str], click.Command]]:
    out: list[tuple[list[str], click.Command]] = []

    def walk(path: list[str], cmd: click.Command) -> None:
        out.append((path, cmd))
        for name, sub in getattr(cmd, "commands", {}).items():
            walk([*path, name], sub)

    walk([], typer.main.get_command(app))
    return out


COMMANDS = _commands()


def _help(args: list[str]) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], prog_name="python -m kpi", terminal_width=400,
                                env={"COLUMNS": "400", "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    return result.output


def _english(text: str) -> list[str]:
    return SENTENCE.findall(re.sub(r"--?[\w-]+|\[[A-Z]+\]|<[^>]*>|python -m kpi[\w -]*", " ", text))


def test_the_check_catches_english():
    assert _english("Show this message and exit.") == ["Show this message and exit"]
    assert _english("--as-of <str> 資料日期 [OPTIONS] COMMAND [ARGS]... ministry | national") == []


def test_every_command_has_a_command_list():
    names = {" ".join(p) for p, _ in COMMANDS}
    assert {"seeds", "build", "import", "undo", "imports", "report", "matches", "export", "check-links",
            "set-oas", "fetch", "health", "backup", "restore", "serve", "hash-password", "deliver",
            "deliver-settings", "meeting", "meeting add", "meeting list"} <= names


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=[" ".join(p) or "kpi" for p, _ in COMMANDS])
def test_help_is_zh_tw(path):
    text = _help(path)
    assert _english(text) == []
    assert "用法：" in text and "顯示此說明後結束。" in text


@pytest.mark.parametrize("path, cmd", COMMANDS, ids=[" ".join(p) or "kpi" for p, _ in COMMANDS])
def test_every_command_option_and_argument_says_what_it_is_in_zh_tw(path, cmd):
    assert CJK.search(cmd.help or ""), path
    ctx = click.Context(cmd, info_name=" ".join(path) or "kpi")
    for param in cmd.get_params(ctx):
        assert CJK.search(getattr(param, "help", None) or ""), (path, param.name)


def test_python_m_kpi_help_in_a_real_process():
    """The way people call it (the module entry point), once."""
    out = subprocess.run([sys.executable, "-m", "kpi", "--help"], cwd=REPO_ROOT, capture_output=True,
                         text=True, env={"COLUMNS": "400", "PATH": "/usr/bin:/bin"}, timeout=120)
    assert out.returncode == 0 and "用法：" in out.stdout and _english(out.stdout) == []
