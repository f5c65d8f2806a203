"""The plain-language summary: from the structured fields, at a reading grade of 8 or lower
(Flesch-Kincaid grade, textstat: 0.39·words/sentence + 11.8·syllables/word − 15.59)."""

from __future__ import annotations

import textstat

from remission.domain.plain_summary import follow_up_weeks, plain_summary
from remission.domain.trial import Outcome, Trial
from remission.registry.sources import read_path
from tests.conftest import SEED


def _seed(name: str) -> Trial:
    parsed = next(iter(read_path(SEED[name])))
    return parsed.trial  # type: ignore[union-attr]


def test_the_summary_says_what_where_who_and_when() -> None:
    summary = plain_summary(_seed("NCT07095075"))
    text = summary.text
    assert "This study tests LUCAR-DKS1" in text
    assert "NK cells" in text and "chemotherapy (cyclophosphamide and fludarabine)" in text
    assert "People aged 18 to 70" in text and "About 36 people" in text
    assert "from 25 to 400 million cells per kg" in text
    assert [h for h, _ in summary.parts] == ["What is tested", "Who can join", "What happens", "Where",
                                             "What is not yet known"]  # fmt: skip


def test_every_seed_summary_reads_at_grade_8_or_lower() -> None:
    for name in SEED:
        text = plain_summary(_seed(name)).text
        assert textstat.flesch_kincaid_grade(text) <= 8, name


def test_a_hand_worked_grade_matches_textstat() -> None:
    # "The cells are given once." 5 words, 1 sentence, 6 syllables (the=1 cells=1 are=1 given=2
    # once=1): 0.39·5 + 11.8·6/5 − 15.59 = 1.95 + 14.16 − 15.59 = 0.52.
    assert round(textstat.flesch_kincaid_grade("The cells are given once."), 2) == 0.52


def test_follow_up_from_the_outcomes_time_frames() -> None:
    trial = Trial(id="LOCAL-1", brief_title="t", primary_outcomes=[Outcome(measure="DLT", time_frame="28 days")],
                  secondary_outcomes=[Outcome(measure="Response", time_frame="Up to 2 years")])  # fmt: skip
    assert follow_up_weeks(trial) == 104
    assert "follows you for 2 years" in plain_summary(trial).text


def test_chinese_is_built_from_the_same_facts() -> None:
    from remission.web.i18n import language

    zh = plain_summary(_seed("NCT07095075"), language("zh").gettext)
    assert "LUCAR-DKS1" in zh.text and "36" in zh.text and "400" in zh.text
    assert zh.text != plain_summary(_seed("NCT07095075")).text
