"""BM25F ranking (Robertson & Zaragoza 2009, §3.5), checked against hand calculations."""

import math

import pytest

from remission.registry.ranking import idf, rank_postings, term_weights


def test_term_weight_is_group_weighted_and_length_normalised() -> None:
    # Title of 2 words: B = 0.25 + 0.75 * 2 / 30 = 0.30; weight 5 * 1 / 0.30 = 16.666667.
    # Criteria of 4 words with "lupus" twice: B = 0.25 + 0.75 * 4 / 185 = 0.266216;
    # weight 1 * 2 / 0.266216 = 7.512690.
    weights = term_weights({"title": "lupus nephritis", "criteria": "lupus lupus adult consent"})
    assert weights["nephritis"] == pytest.approx(16.666667, abs=1e-6)
    assert weights["lupus"] == pytest.approx(16.666667 + 7.512690, abs=1e-5)
    assert weights["adult"] == pytest.approx(1 / 0.266216, abs=1e-5)


def test_idf_and_score_by_hand() -> None:
    # idf with N = 10 trials, df = 2: ln(1 + 8.5 / 2.5) = ln(4.4) = 1.481605
    assert idf(10, 2) == pytest.approx(math.log(4.4))
    # score = 1.481605 * 16.666667 / (1.2 + 16.666667) = 1.481605 * 0.932836 = 1.382094
    ranked = rank_postings({"B": {"lupus": 16.666667}, "A": {"lupus": 1.0}, "C": {}}, {"lupus": 2}, 10)
    assert [i for i, _ in ranked] == ["B", "A", "C"]
    assert ranked[0][1] == pytest.approx(1.382094, abs=2e-6)
    assert ranked[1][1] == pytest.approx(1.481605 * 1.0 / 2.2, abs=1e-6)
    assert ranked[2][1] == 0.0


def test_ties_fall_back_to_the_trial_id() -> None:
    ranked = rank_postings({"NCT2": {"x": 3.0}, "NCT1": {"x": 3.0}}, {"x": 2}, 5)
    assert [i for i, _ in ranked] == ["NCT1", "NCT2"]
