"""Text clean-up shared by the importers: registry markdown escapes, bullets, whitespace."""

from __future__ import annotations

import re

# ClinicalTrials.gov stores criteria as markdown and escapes ^ < > * and list numbers ("1\.").
_MD_ESCAPE = re.compile(r"\\([\\^<>*_\[\]().#+-])")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
BULLETS = "*-•‣⁃◦▪·●○"


def unescape_markdown(text: str) -> str:
    return _MD_ESCAPE.sub(r"\1", text)


def clean_line(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def clean_text(text: str) -> str:
    """Unescape, normalise spaces, keep line structure, drop runs of blank lines."""
    lines = [clean_line(unescape_markdown(line)) for line in text.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def strip_bullets(line: str) -> str:
    """Remove leading bullet marks ("- • 1. x" → "1. x")."""
    i = 0
    while i < len(line) and (line[i] in BULLETS or line[i] == " "):
        i += 1
    return line[i:]


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(])")


def sentences(text: str) -> list[str]:
    """Split prose into sentences (good enough for registry summaries; no abbreviations list)."""
    return [s.strip() for s in _SENTENCE_END.split(text.replace("\n", " ")) if s.strip()]


def first_match(pattern: re.Pattern[str], *texts: str | None) -> re.Match[str] | None:
    for text in texts:
        if text:
            m = pattern.search(text)
            if m:
                return m
    return None
