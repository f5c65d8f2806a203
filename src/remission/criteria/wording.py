"""The wording of registry criteria made regular for the extractor
(:mod:`remission.criteria.extract`): one case, one spelling of each symbol and unit, numbers
as digits, and cutting a sentence at a separator outside brackets."""

from __future__ import annotations

import re
from typing import Any, Literal

from remission.criteria.phrases import NUMBER_WORDS
from remission.criteria.protocol import Kind

__all__ = ["NUM", "Kind", "Rule", "connector", "drop_brackets", "normalise", "split_outside"]

Rule = dict[str, Any]
NUM = r"\d+(?:\.\d+)?"

_SYMBOLS = {
    "≥": ">=",
    "≧": ">=",
    "≤": "<=",
    "≦": "<=",
    "＞": ">",
    "＜": "<",
    "（": "(",
    "）": ")",
    "；": ";",
    "：": ":",
    "，": ",",
    "×": " x ",
    "µ": "u",
    "μ": "u",
    "⁹": "^9",
    "²": "2",
    "–": "-",
    "—": "-",
    "−": "-",
    "’": "'",
    "‘": "'",
    "\u3000": " ",
}
_SUBS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"(?<=\d),(?=\d{3}\b)", ""),  # 100,000 -> 100000
        (r"=>", ">="),
        (r"=<", "<="),
        (r">\s*=", ">="),
        (r"<\s*=", "<="),
        (r"(?:\bx\s*)?\b10\s*(?:\^|\*\*?|e)?\s*9\s*/\s*l\b", " 10^9/l"),
        (r"\bx\s*109\s*/\s*l\b", " 10^9/l"),
        (r"(?:\bx\s*)?\b10\s*(?:\^|\*\*?)?\s*3\s*/\s*(?:ul|mm3)\b", " 10^3/ul"),
        (r"(?:cells?\s*)?/\s*(?:mm3|mm\^3|ul)\b", " cells/ul"),
        (r"ml\s*/\s*min\s*/\s*1\.73\s*m\s*\^?2", " ml/min/1.73m2"),
        (
            rf"\b({NUM})\s*(?:x|times|fold|-fold)?\s*(?:the\s+)?(?:uln|upper\s+limits?\s+of\s+(?:the\s+)?normal"
            r"(?:\s+(?:range|value))?(?:\s*\(uln\))?|normal\s+upper\s+limit|upper\s+normal\s+limit)\b",
            r"\1 xuln",
        ),
        (r"\b(?:greater|more|higher)\s+than\s+or\s+equal\s+to\s*(?=\d)", ">= "),
        (
            r"\b(?:equal\s+to\s+or\s+(?:greater|more|higher)\s+than|not\s+less\s+than|no\s+less\s+than|at\s+least"
            r"|of\s+at\s+least)\s*(?=\d)",
            ">= ",
        ),
        (r"\b(?:less|lower)\s+than\s+or\s+equal\s+to\s*(?=\d)", "<= "),
        (r"\b(?:not\s+more\s+than|no\s+more\s+than|at\s+most|not\s+exceeding|not\s+exceed)\s*(?=\d)", "<= "),
        (r"\b(?:greater|more|higher)\s+than\s*(?=\d)", "> "),
        (r"\b(?:above|over|exceeds?|exceeding)\s*(?=\d)", "> "),
        (r"\b(?:less|lower)\s+than\s*(?=\d)", "< "),
        (r"\b(?:below|under)\s*(?=\d)", "< "),
        (r"\s+", " "),
    ]
]
NUMBER_WORD = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b(?=\s+(?:days?|weeks?|months?|years?)\b)")
BULLET = re.compile(r"^(?:[-•*·]\s*|\(?(?:\d{1,2}|[a-h]|i{1,3}|iv|v|vi{1,3})\s?[.)]\s*)")


def normalise(text: str) -> str:
    out = "".join(_SYMBOLS.get(ch, ch) for ch in text).lower()
    for pattern, replacement in _SUBS:
        out = pattern.sub(replacement, out)
    out = NUMBER_WORD.sub(lambda m: str(NUMBER_WORDS[m.group(1)]), out)
    return out.strip().strip(".;,: ").strip()


def connector(word: str, kind: Kind) -> Literal["all", "any"] | None:
    """How parts joined by ``word`` combine: "or" is any of them; "and" is all of them, except in
    an exclusion, where "A and B" can mean either and is not read (None); a comma or semicolon is
    all of them in an inclusion and any one in an exclusion."""
    if word == "or":
        return "any"
    if word == "and":
        return None if kind == "exclusion" else "all"
    return "all" if kind == "inclusion" else "any"


def split_outside(text: str, separator: str) -> list[str]:
    """``text`` cut at ``separator`` where it is outside brackets."""
    if "(" not in text:
        return [p.strip() for p in text.split(separator)]
    # Jump from one occurrence of the separator to the next, keeping the bracket depth of the
    # text passed over (a ")" without its "(" does not go below zero).
    parts, start, depth, seen, at = [], 0, 0, 0, text.find(separator)
    while at != -1:
        for ch in text[seen:at]:
            if ch == "(":
                depth += 1
            elif ch == ")" and depth:
                depth -= 1
        seen = at
        if depth == 0:
            parts.append(text[start:at])
            start = seen = at + len(separator)
            at = text.find(separator, start)
        else:
            at = text.find(separator, at + 1)
    parts.append(text[start:])
    return [p.strip() for p in parts]


_ABBREVIATION = re.compile(r"\s*\(([^()]*)\)")
_KEEP_BRACKET = re.compile(r"\d|[<>=]|\b(?:or|and|except|excluding|unless|not|no|other|positive|negative|but)\b")
_CITATION = re.compile(r"\bet al\b")


def drop_brackets(text: str) -> str:
    """Brackets that only name (an abbreviation, a formula) go; brackets that qualify stay."""

    def one(m: re.Match[str]) -> str:
        inner = m.group(1)
        if _CITATION.search(inner):
            return ""
        if _KEEP_BRACKET.search(inner) or len(inner.split()) > 3:
            return m.group(0)
        return ""

    return _ABBREVIATION.sub(one, text).strip()
