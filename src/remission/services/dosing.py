"""Dose-finding protocols: the bundled ones (src/remission/data/dose/) and files given by path."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from remission.dosefinding.boundaries import DoseFindingError
from remission.dosefinding.live import Protocol
from remission.dosefinding.protocol import ProtocolFile, read_protocol

BUNDLED = files("remission") / "data" / "dose"


def bundled_protocols() -> list[str]:
    return sorted(p.name.removesuffix(".toml") for p in BUNDLED.iterdir() if p.name.endswith(".toml"))


def load_protocol(name: str, allow_paths: bool = True) -> tuple[ProtocolFile, Protocol]:
    """A bundled protocol by trial id (e.g. NCT07095075) or, when ``allow_paths``, a TOML file."""
    bundled = BUNDLED / f"{name}.toml"
    if name in bundled_protocols() and bundled.is_file():
        return read_protocol(bundled.read_text(encoding="utf-8"), f"{name} (bundled)")
    path = Path(name)
    if allow_paths and path.is_file():
        return read_protocol(path.read_text(encoding="utf-8"), str(path))
    where = "no such protocol file, and no" if allow_paths else "no"
    raise DoseFindingError(f"{name}: {where} bundled protocol of that name ({', '.join(bundled_protocols())})")
