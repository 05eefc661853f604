"""The command line's own words in zh-TW: typer and click print English ("Show this message and
exit.", "Usage:", "Options", "[default: …]") around our help texts; SPEC asks every message in
Traditional Chinese. ``ZhTyper`` is a typer.Typer whose commands and groups say these in zh-TW."""

from __future__ import annotations

from typing import Any

import click
import typer
import typer.rich_utils as rich_utils
from typer.core import TyperCommand, TyperGroup

HELP_OPTION = "顯示此說明後結束。"
USAGE = "用法："
PANEL_WORDS = {"ARGUMENTS_PANEL_TITLE": "引數", "OPTIONS_PANEL_TITLE": "選項", "COMMANDS_PANEL_TITLE": "指令",
               "ERRORS_PANEL_TITLE": "錯誤", "DEFAULT_STRING": "[預設：{}]", "REQUIRED_LONG_STRING": "[必填]",
               "ENVVAR_STRING": "[環境變數：{}]", "DEPRECATED_STRING": "（已停用）", "ABORTED_TEXT": "已取消。",
               "RICH_HELP": "說明請執行 [blue]'{command_path} {help_option}'[/]。"}
for _name, _text in PANEL_WORDS.items():  # typer reads these module constants when it prints help
    setattr(rich_utils, _name, _text)


class _ZhWords:
    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_OPTION
        return option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=USAGE)


class ZhCommand(_ZhWords, TyperCommand):
    pass


class ZhGroup(_ZhWords, TyperGroup):
    pass


class ZhTyper(typer.Typer):
    """typer.Typer with zh-TW help around every command (including sub-apps made with it)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cls=ZhGroup, **kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", ZhCommand)
        return super().command(*args, **kwargs)
