"""The free-text extractor against hand-labelled registry sentences, and its rules of caution.

The labels (tests/fixtures/criteria_sentences.yaml) were written by hand from the sentences
before the extractor existed; each held-out sample was labelled before the extractor first ran
on it. Figures (README, "Free text"): development set 339 sentences, 103 translated (coverage
0.30; 121 are translatable at all, 0.36), all right; held-out-1 (seen since the first round) 21
of 100, all right; held-out-2 (blind) 5 of 100 (18 translatable), all right.
"""

from __future__ import annotations

from typing import Any

import pytest

from remission.criteria.extract import extract
from remission.criteria.parse import parse
from tests.criteria.extractor_score import canonical, score, sentences, translatable


@pytest.fixture(scope="module")
def scores() -> dict[str, Any]:
    return score()


def test_precision_and_coverage_on_the_development_set(scores: dict[str, Any]) -> None:
    dev = scores["all"]
    assert dev.total == 339 and translatable()["all"] == 121
    assert dev.precision >= 0.95, dev.wrong
    # Floors under the figures measured on 2026-11-22, so a change that loses ground fails.
    assert dev.coverage >= 0.29
    assert scores["seed page"].coverage >= 0.55


def test_precision_on_the_held_out_sets(scores: dict[str, Any]) -> None:
    held = scores["held-out-1"]
    assert held.total == 100
    assert held.precision >= 0.95, held.wrong
    assert held.translated >= 21
    fresh = scores["held-out-2"]
    assert fresh.total == 100 and translatable()["held-out-2"] == 18
    assert fresh.precision >= 0.95, fresh.wrong
    assert fresh.translated >= 5


def test_every_translation_is_a_valid_expression() -> None:
    for item in sentences():
        found = extract(item["text"], item["source"].split()[1])
        if found is not None:
            parse(found.rule, item["id"])


@pytest.mark.parametrize(
    ("text", "kind", "rule", "cohort"),
    [
        # units as written; canonical units are left implicit
        ("Platelet count ≥ 100,000/mm3", "inclusion", {"measure": "platelets", "at_least": 100000, "unit": "cells/uL"}, None),
        ("Hemoglobin ≥ 9 g/dL", "inclusion", {"measure": "haemoglobin", "at_least": 9, "unit": "g/dL"}, None),
        ("ANC ≥ 1.0 × 10⁹/L", "inclusion", {"measure": "neutrophils", "at_least": 1}, None),
        # one threshold for two labs: "and" is all of them in an inclusion
        ("AST and ALT ≤ 2.5 times the upper limit of normal", "inclusion",
         {"all": [{"measure": "ast", "at_most": 2.5, "scale": "xULN"}, {"measure": "alt", "at_most": 2.5, "scale": "xULN"}]}, None),
        ("AST or ALT > 3 x ULN", "exclusion",
         {"any": [{"measure": "ast", "above": 3, "scale": "xULN"}, {"measure": "alt", "above": 3, "scale": "xULN"}]}, None),
        ("Aged 18 to 65 years, either sex", "inclusion", {"measure": "age", "at_least": 18, "at_most": 65}, None),
        ("ECOG performance status 0, 1 or 2", "inclusion", {"measure": "ecog", "at_least": 0, "at_most": 2}, None),
        ("For SLE patients, SLEDAI-2K ≥ 6 points;", "inclusion", {"measure": "sledai_2k", "at_least": 6}, "SLE"),
        ("Pregnant or breastfeeding women", "exclusion", {"any": [{"pregnant": True}, {"breastfeeding": True}]}, None),
        ("Received live vaccine within 2 weeks before screening", "exclusion",
         {"received": ["live_vaccine"], "within_days": 14}, None),
        ("HBsAg positive and HBV DNA higher than the lower limit of detection", "exclusion",
         {"all": [{"positive": ["hbsag"]}, {"positive": ["hbv_dna"]}]}, None),
        # "and" in an exclusion, read where only one reading makes sense
        ("Pregnant, breastfeeding, and planning pregnancy", "exclusion",
         {"any": [{"pregnant": True}, {"breastfeeding": True}, {"intends_to_conceive": True}]}, None),
        ("Age less than 3 and more than 16 years", "exclusion",
         {"any": [{"measure": "age", "below": 3}, {"measure": "age", "above": 16}]}, None),
        # the words before "defined by" only name what follows
        ("Sufficient hepatic function defined by ALT ≤ 3 x ULN", "inclusion",
         {"measure": "alt", "at_most": 3, "scale": "xULN"}, None),
        ("Male subjects must use effective contraception", "inclusion",
         {"any": [{"sex": "female"}, {"fact": "reproductive.agrees_to_contraception"}]}, None),
    ],
)
def test_translations_written_out_by_hand(text: str, kind: Any, rule: dict[str, Any], cohort: str | None) -> None:
    found = extract(text, kind)
    assert found is not None
    assert canonical(found.rule) == canonical(rule) and found.cohort == cohort


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Life expectancy > 3 months", "exclusion"),  # not a fact of the profile
        ("Creatinine clearance ≥ 60 mL/min", "inclusion"),  # not eGFR
        ("ALT ≤ 3", "inclusion"),  # a lab threshold without its unit
        ("Platelets ≥ 50 g/L", "inclusion"),  # a unit that is not the lab's
        ("Mental illness and severe cognitive impairment", "exclusion"),  # "and" in an exclusion
        ("HIV, syphilis, and active tuberculosis", "exclusion"),  # "..., and" too (each part is read alone)
        ("Received live vaccine within 4 weeks before CAR-T infusion", "exclusion"),  # after screening
        ("Age less than 3 and more than 16 years", "inclusion"),  # no one can be both
        ("Active infection such as hepatitis", "exclusion"),  # an open list
        ("Malignancy, except adequately treated basal cell carcinoma", "exclusion"),  # exemptions
        ("Serious heart disease in the opinion of the investigator", "exclusion"),
    ],
)
def test_what_it_leaves_for_the_investigator(text: str, kind: Any) -> None:
    assert extract(text, kind) is None


def test_every_label_is_a_valid_expression() -> None:
    for item in sentences():
        if "rule" in item:
            parse(item["rule"], item["id"])
        else:
            assert item["expected"] == "untranslatable", item["id"]
