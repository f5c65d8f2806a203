"""The reader's language (RFC 9110 §12.5.4 Accept-Language) and the catalogues."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from remission.web.i18n import language, negotiate

PO = Path(__file__).resolve().parents[2] / "src" / "remission" / "web" / "locales" / "zh" / "LC_MESSAGES" / "messages.po"
POT = PO.parents[2] / "messages.pot"


@pytest.mark.parametrize(
    ("query", "cookie", "header", "expected"),
    [
        (None, None, None, "en"),
        (None, None, "zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        (None, None, "en-GB,en;q=0.9,zh;q=0.8", "en"),
        (None, None, "fr-FR, zh-TW;q=0.5", "zh"),  # French is not offered: the next one is
        (None, None, "zh;q=0, en", "en"),  # q=0 means "not acceptable"
        (None, None, "en;q=0.2, zh-Hans;q=0.7", "zh"),  # by quality, not by order
        ("en", None, "zh-CN", "en"),  # an explicit ?lang= wins
        (None, "zh", "en-US", "zh"),  # then the remembered switch
        ("xx", None, "zh", "zh"),  # an unknown ?lang= is ignored
    ],
)
def test_negotiation(query: str | None, cookie: str | None, header: str | None, expected: str) -> None:
    assert negotiate(query, cookie, header) == expected


def test_every_message_has_a_chinese_translation_with_the_same_placeholders() -> None:
    catalog = read_po(PO.open("rb"), locale="zh")
    template = read_po(POT.open("rb"))
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    assert ids <= set(translated), sorted(ids - set(translated))[:5]
    for key in ids:
        message = translated[key]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        source = message.id[-1] if isinstance(message.id, tuple) else message.id
        assert all(strings), f"untranslated: {key!r}"
        for s in strings:
            assert set(re.findall(r"%\(\w+\)s", s)) == set(re.findall(r"%\(\w+\)s", source)), key
    assert language("zh").gettext("Find a trial") != "Find a trial"
