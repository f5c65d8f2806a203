"""``N_``: marks an English string for the translation catalogues (Babel extracts it with
``-k N_``); the string is translated where a page shows it, not where it is defined."""

from __future__ import annotations


def N_(message: str) -> str:
    return message
