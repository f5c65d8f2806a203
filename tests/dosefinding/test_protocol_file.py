"""Protocol files: the bundled NCT07095075 hybrid, and errors that name the section and key."""

from __future__ import annotations

from importlib.resources import files

import pytest

from remission.dosefinding.boundaries import DoseFindingError
from remission.dosefinding.protocol import read_protocol

BUNDLED = files("remission") / "data" / "dose" / "NCT07095075.toml"


def test_bundled_hybrid() -> None:
    spec, protocol = read_protocol(BUNDLED.read_text(encoding="utf-8"), "NCT07095075.toml")
    assert spec.trial.id == "NCT07095075"
    assert protocol.doses == ["25", "50", "100", "200", "400"]
    assert protocol.sample_size == 36 and protocol.boin.target == 0.30 and protocol.boin.n_earlystop == 12
    assert protocol.titration is not None and protocol.titration.levels == 2
    assert protocol.backfill is not None and protocol.backfill.cap == 12 and protocol.backfill.rules == "paper"


def test_errors_name_section_and_key() -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    with pytest.raises(DoseFindingError, match=r"x\.toml: design\.target: Input should be less than or equal to 0\.6"):
        read_protocol(text.replace("target = 0.30", "target = 0.9"), "x.toml")
    with pytest.raises(DoseFindingError, match=r"design\.targt: Extra inputs are not permitted"):
        read_protocol(text.replace("target = 0.30", "targt = 0.30"), "x.toml")
    with pytest.raises(DoseFindingError, match="not valid TOML"):
        read_protocol("[trial\n", "x.toml")
    with pytest.raises(DoseFindingError, match="titration levels = 7"):
        read_protocol(text.replace("levels = 2", "levels = 7"), "x.toml")
