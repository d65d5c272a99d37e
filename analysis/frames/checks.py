"""The column check the frames, actors and validation stages share.

A stage function's table argument (units, codes, scores) must hold the
columns it reads; a missing one is reported in one line naming the table and
the columns, before pandas raises a ``KeyError`` from deep inside.
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from ..errors import AnalysisError


def require_columns(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise :class:`AnalysisError` naming ``what`` if ``df`` lacks any of ``columns``.

    >>> require_columns(pd.DataFrame({"unit_id": []}), ("unit_id", "text"), "units")
    Traceback (most recent call last):
    ...
    analysis.errors.AnalysisError: units: missing column(s) text
    """
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise AnalysisError(f"{what}: missing column(s) {', '.join(missing)}")
