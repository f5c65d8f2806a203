"""From a registry criterion sentence to a computable criterion (placeholder until the pattern
set lands): nothing is translated, so every sentence is a review item."""

from __future__ import annotations

from typing import Any


def extract(text: str) -> dict[str, Any] | None:
    return None
