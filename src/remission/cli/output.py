"""What every command shares: the consoles, ``--json``, one-line errors, JSON output."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

out = Console()
err = Console(stderr=True, soft_wrap=True)  # an error stays one line, whatever the width

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON only.")]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` as one line on standard error; raise the returned Exit(code)."""
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True)
    return typer.Exit(code)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")
