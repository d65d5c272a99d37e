"""Sample texts, units and checks shared by the text stage's tests."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.registry import RunPaths

SEEDS = Path(__file__).resolve().parents[2] / "data" / "raw" / "ru-alliances-id"

# Lines that are page furniture, not article text (the corpus stage removes
# them with its own rules; these tests build seed units without that module).
BOILERPLATE = re.compile(
    r"^(baca juga|tonton juga|foto/|\[redaktur|you may also like|more from author|\+ there are no|add yours|"
    r"estimated read time|daily news$|bagaimana reaksi|%d blogger|berita terkait|berita terbaru|edisi terbaru|"
    r"subscribe|whatsapp|isi form|populer$|inframe$|pilihan editor|reuters$|zvr$)",
    re.IGNORECASE,
)
# A final token is letters/digits, joined only by "_" or "-" inside.
CLEAN_TOKEN = re.compile(r"^[^\W_]+(?:[-_][^\W_]+)*$")

ID_TEXTS = [
    "Rusia dan Korea Utara (Korut) memperkuat kerja sama pertahanan di Pyongyang.",
    "Presiden Rusia Vladimir Putin bertemu Kim Jong Un; kerja sama militer kedua negara-negara itu erat.",
    "Menurut Duyeon Kim, kerja sama Rusia dan Korut adalah peringatan bagi Washington.",
    "Putin dan Kim membahas sanksi PBB dan kerja sama pertahanan, kata analis.",
    "Baca juga: https://contoh.id/berita (23/6/2024) 40",
]
EN_TEXTS = [
    "Russia and North Korea deepened their defense cooperation in Pyongyang.",
    "Russian President Vladimir Putin met Kim Jong Un; the U.S. and its allies watched.",
    "According to Duyeon Kim, cooperation between Russia and the DPRK worries Washington.",
    "Putin said the US would not stop defense cooperation with North Korea, he told us.",
]


def units_frame(texts: list[str], article: str = "a") -> pd.DataFrame:
    """Units as the text stage reads them (unit_id, article_id, text)."""
    return pd.DataFrame(
        {
            "unit_id": [f"{article}-p{i:03d}" for i in range(len(texts))],
            "article_id": [article] * len(texts),
            "text": texts,
        }
    )


def run_with_units(root: Path, units: pd.DataFrame | list[str]) -> RunPaths:
    """A run folder whose corpus stage has written ``units`` (a frame, or texts of one article)."""
    paths = RunPaths(Path(root)).create()
    frame = units_frame(units) if isinstance(units, list) else units
    frame.to_parquet(paths.file("units"), index=False)
    return paths


def read_tokens(paths: RunPaths) -> list[list[str]]:
    return [list(t) for t in pd.read_parquet(paths.file("tokens"))["tokens"]]


def file_bytes(paths: RunPaths) -> dict[str, bytes]:
    """The bytes of the text stage's files (tokens, dictionary, bag of words)."""
    return {key: paths.file(key).read_bytes() for key in ("tokens", "dictionary", "bow")}
