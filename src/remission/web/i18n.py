"""The reader's language: negotiated from ``?lang=``, the ``lang`` cookie or ``Accept-Language``
(RFC 9110 §12.5.4), and the Babel catalogues the pages are translated with.

The catalogues are kept as ``.po`` text in ``web/locales`` and compiled in memory when the app
starts, so the repository holds no binary ``.mo`` files that could drift from their source.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache
from importlib import resources
from io import BytesIO

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

#: The languages the pages are written in; the first is the default.
LANGUAGES: tuple[str, ...] = ("en", "zh")
_ALIASES = {"zh-cn": "zh", "zh-hans": "zh", "zh-sg": "zh", "zh-tw": "zh", "zh-hk": "zh", "zh-hant": "zh"}


@dataclass(frozen=True)
class Language:
    code: str  # "en" | "zh"
    locale: Locale
    translations: gettext.NullTranslations

    @property
    def html_lang(self) -> str:
        return "zh-Hans" if self.code == "zh" else self.code

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)


def _supported(tag: str) -> str | None:
    tag = tag.strip().lower().replace("_", "-")
    if tag in _ALIASES:
        return _ALIASES[tag]
    base = tag.split("-", 1)[0]
    return base if base in LANGUAGES else None


def negotiate(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The language to answer in: an explicit ``?lang=`` first, then the cookie that remembers
    a switch, then the browser's ``Accept-Language`` by quality, then English."""
    for explicit in (query, cookie):
        if explicit and (code := _supported(explicit)):
            return code
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if (code := _supported(tag)) is not None and quality > 0:
            ranked.append((-quality, position, code))
    return min(ranked)[2] if ranked else LANGUAGES[0]


@cache
def language(code: str) -> Language:
    """The catalogue of one language (English is the source text: no catalogue)."""
    if code not in LANGUAGES:
        code = LANGUAGES[0]
    translations: gettext.NullTranslations = gettext.NullTranslations()
    po = resources.files("remission.web") / "locales" / code / "LC_MESSAGES" / "messages.po"
    if po.is_file():
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=code)
        buffer = BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        translations = Translations(buffer)
    return Language(code, Locale.parse(code), translations)
