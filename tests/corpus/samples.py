"""Inputs shared by the corpus tests: the seed corpus, a boilerplate-laden article, a file writer."""

from __future__ import annotations

from pathlib import Path

from analysis.paths import DATA_RAW

SEEDS = DATA_RAW / "ru-alliances-id"
BOILERPLATE = ("Baca Juga", "Baca juga", "Tonton Juga", "Foto/AP", "[Redaktur", "Pilihan Editor", "Berita Terkait",
               "Berita Terbaru", "You May Also Like", "More From Author", "Add yours", "Bagaimana reaksi Anda",
               "blogger menyukai", "Subscribe")
THAI = tuple(chr(c) for c in range(0x0E00, 0x0E80))

ARTICLE = (
    "Judul Berita Rusia dan Korea Utara\n"
    "TEMPO.CO, Jakarta - Rusia dan Korea Utara menandatangani pakta pertahanan baru, Rabu, 13 September 2023.\n"
    "Baca Juga:\n"
    "Putin Disambut Hangat Kim Jong Un di Pyongyang\n"
    "Para analis menilai kerja sama ini sebagai peringatan bagi Amerika Serikat dan sekutunya.\n"
    "Foto/AP\n"
    "Kerja sama militer kedua negara diperkirakan akan terus berkembang dalam beberapa tahun ke depan.\n"
    "Berita Terkait\n"
    "Judul lain yang tidak relevan sama sekali untuk analisis ini\n"
)


def write(folder: Path, name: str, content, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding=encoding)
    return path
