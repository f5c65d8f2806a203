"""Row-wise helpers over the per-trial arrays (one row per trial, one column per dose)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["first_true", "last_true"]


def first_true(flags: NDArray[np.bool_], none: int | NDArray[np.int64] | None = None) -> NDArray[np.int64]:
    """Per row, the index of the first True column; ``none`` (default: the number of columns)
    where no column is True."""
    missing = flags.shape[1] if none is None else none
    first: NDArray[np.int64] = np.where(flags.any(axis=1), flags.argmax(axis=1), missing).astype(np.int64)
    return first


def last_true(flags: NDArray[np.bool_], none: int | NDArray[np.int64] = -1) -> NDArray[np.int64]:
    """Per row, the index of the last True column; ``none`` where no column is True."""
    last = flags.shape[1] - 1 - flags[:, ::-1].argmax(axis=1)
    out: NDArray[np.int64] = np.where(flags.any(axis=1), last, none).astype(np.int64)
    return out
