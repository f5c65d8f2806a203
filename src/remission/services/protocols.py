"""The protocol files bundled with Remission (``data/screening/*.yaml``): hand-encoded criteria
of the seed trials, each under its own id (``LIANGZOU``) and the registry ids it stands for."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from remission.criteria.protocol import Protocol, load_protocol_text

BUNDLED = files("remission") / "data" / "screening"


@cache
def bundled_protocols() -> tuple[Protocol, ...]:
    found = []
    for item in sorted(BUNDLED.iterdir(), key=lambda p: p.name):
        if item.name.endswith((".yaml", ".yml")):
            found.append(load_protocol_text(item.read_text(encoding="utf-8"), source=f"{item.name} (bundled)"))
    return tuple(found)


@cache
def _index() -> dict[str, Protocol]:
    return {alias.upper(): p for p in bundled_protocols() for alias in p.ids}


def bundled_protocol(trial_id: str) -> Protocol | None:
    return _index().get(trial_id.strip().upper())


def bundled_aliases(ids: list[str]) -> list[str]:
    """The bundled protocol ids that stand for a registry trial known by any of ``ids``
    (``LOCAL-56F62430E7`` → ``LIANGZOU``), so that every id a face prints resolves everywhere."""
    known = {i.upper() for i in ids}
    return [
        p.id for p in bundled_protocols() if p.id.upper() not in known and known & {r.upper() for r in p.registry_ids}
    ]
