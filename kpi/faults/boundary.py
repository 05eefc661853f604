"""The command line's one error boundary: every failure leaves as a zh-TW sentence and exit 2.

Why here and not in each command: an OS error (full disk, read-only or missing folder, an
output path that is a directory), a damaged state file or a usage mistake can come from any
command, and a traceback or click's English must never be what the office sees.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import typer

from kpi.faults.messages import DamagedFile, as_os_error, describe, os_message, usage_message
from kpi.importing.errors import ImportRefused

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def printable(text: object) -> str:
    """Text for a terminal: control, bidi and zero-width characters shown as \\uXXXX escapes, so a
    file name or a user name can never move the cursor, recolour or reverse the screen."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))


def _say(text: str) -> None:
    sys.stderr.write(printable(text) + "\n")


def run(app: typer.Typer, args: Sequence[str]) -> int:
    """Run one command; returns its exit code (0, or 2 for anything refused or failed)."""
    folder = os.environ.get("KPI_DATA_DIR")
    if folder and not Path(folder).is_dir() and not {"--help", "hash-password"} & set(args):
        _say(f"資料夾 KPI_DATA_DIR「{folder}」不存在或不是資料夾；請建立它，或改設為既有的資料夾。")
        return 2
    try:
        result = app(args=list(args), standalone_mode=False, prog_name="python -m kpi")
        return result if isinstance(result, int) else 0
    except Exception as err:
        kinds = {c.__name__ for c in type(err).__mro__}
        if "UsageError" in kinds:
            _say(usage_message(err))
            return 2
        if "Abort" in kinds:
            _say("已取消，資料未變更。")
            return 2
        if "Exit" in kinds:
            return int(getattr(err, "exit_code", 0) or 0)
        return _failure(err)
    except KeyboardInterrupt:
        _say("已中斷；未完成的寫入不會生效，下次啟動時會清除暫存檔。")
        return 130


def _failure(err: Exception) -> int:
    if isinstance(err, ImportRefused):
        _say(err.text())
    elif (oserr := as_os_error(err)) is not None:
        _say(f"作業失敗，資料未變更。{os_message(oserr)}")
    elif isinstance(err, DamagedFile):
        _say(f"作業失敗，資料未變更。{err}")
    else:  # the boundary: whatever else, in zh-TW, never a traceback
        _say(describe(err) if isinstance(err, ValueError) else f"作業失敗。{describe(err)}")
    return 2
