"""Statements: quotes, cues, speaker spans, kinds, anaphora, continuations and channels (sentences of our own)."""

from __future__ import annotations

import pandas as pd

from analysis import actors
from analysis.actors.attribution import find_quotes


def units(texts, article="a"):
    return pd.DataFrame({"unit_id": [f"{article}-p{i:03d}" for i in range(len(texts))], "article_id": article,
                         "position": range(len(texts)), "text": texts})


def found(texts, language="id", **kw):
    return actors.attribute_statements(units(texts, **kw), actors.compile_lexicon(language), actors.load_gazetteer())


def test_quote_segments_open_close_carry_over_and_apostrophes():
    t = 'Kim’s aide said “this,” then ‘that one’ and "more" and “open'
    assert [t[s:e] for s, e in find_quotes(t)] == ["this,", "that one", "more", "open"]
    carried = 'the talks failed.” He left.'
    assert [carried[s:e] for s, e in find_quotes(carried)] == ["the talks failed."]


def test_offsets_point_at_the_speaker_and_the_quote():
    text = '“Perang dagang ini merugikan semua pihak,” kata Rina Wulandari, ekonom di INDEF.'
    s = found([text]).iloc[0]
    assert text[s.speaker_start:s.speaker_end] == "Rina Wulandari"
    assert text[s.quote_start:s.quote_end] == "Perang dagang ini merugikan semua pihak"  # the closing comma is punctuation
    assert (s.kind, s.cue, s.source_type, s.origin) == ("direct", "kata", "think_tank", "indonesia")


def test_a_short_scare_quote_does_not_make_a_statement_direct():
    s = found(["Menteri Luar Negeri Retno Marsudi mengatakan hubungan itu “istimewa”."]).iloc[0]
    assert s.kind == "indirect"


def test_katanya_and_a_pronoun_take_the_previous_speaker_of_the_article_only():
    s = found(['“Ini sulit,” kata Anton Wibisono, pengamat militer.', '“Tapi mungkin,” katanya.',
               "Ia juga mengatakan bahwa latihan itu rutin."])
    assert s["speaker"].tolist() == ["Anton Wibisono"] * 3
    assert s["surface"].tolist() == ["Anton Wibisono", "katanya", "Ia"]
    other = found(['“Tidak,” katanya.'], article="b")
    assert other.empty  # no earlier speaker in its article: dropped, never guessed


def test_a_quote_paragraph_continues_the_previous_speaker():
    s = found(['“Ekonomi kami kuat,” kata Menteri Keuangan Sri Mulyani Indrawati.',
               '“Kami juga siap menghadapi gejolak pasar global tahun depan.”',
               "Harga beras naik lagi.",
               '“Kalimat ini tidak dikutip dari siapa pun yang disebut di atas.”'])
    assert s[["unit_id", "speaker", "kind"]].values.tolist() == [
        ["a-p000", "Sri Mulyani Indrawati", "direct"], ["a-p001", "Sri Mulyani Indrawati", "continuation"]]
    assert s.iloc[1]["speaker_start"] == -1  # no speaker span in the continuing paragraph


def test_a_second_quote_in_a_paragraph_continues_its_speaker():
    s = found(['“Kami menolak,” kata Hasan Basri, aktivis lingkungan. “Tambang itu merusak hutan kami.”'])
    assert s["kind"].tolist() == ["direct", "continuation"]
    assert s["source_type"].tolist() == ["civil_society"] * 2


def test_an_outlet_that_carries_a_quote_is_its_channel_not_a_second_speaker():
    s = found(['Pejabat itu menjawab: “Kami tidak tahu,” lapor kantor berita Antara.'])
    assert s[["speaker", "via"]].values.tolist() == [["pejabat itu", "Antara"]]
    s = found(["“It is over,” Viktor Orbán told Reuters."], language="en")
    assert s[["speaker", "via", "kind"]].values.tolist() == [["Viktor Orbán", "Reuters", "direct"]]


def test_coordinated_speakers_each_speak():
    s = found(["Jepang maupun Korea Selatan membantah laporan itu."])
    assert s["speaker"].tolist() == ["Japan", "South Korea"]


def test_an_end_of_paragraph_cue_covers_its_paragraph():
    text = "Ekspor akan turun. Pasar Asia melemah, kata Dian Permata, ekonom di Universitas Indonesia."
    s = found([text]).iloc[0]
    assert (s.quote_start, s.kind) == (0, "indirect")


def test_english_speaker_after_the_quote_and_he_said():
    s = found(['"We are ready," Admiral John Aquilino said.', '"But not yet," he said.'], language="en")
    assert s[["speaker", "source_type", "kind"]].values.tolist() == [
        ["John Aquilino", "military", "direct"], ["John Aquilino", "military", "direct"]]


def test_no_cue_no_statement():
    assert found(["Namun Rusia dan Korea Utara bertemu di Pyongyang.", "", "Kata kunci pertemuan itu adalah energi."]).empty


def test_the_same_input_gives_the_same_table():
    texts = ['“A b c d e,” kata Rina Wulandari, peneliti di Lowy Institute.', "Para ahli menilai itu keliru."]
    pd.testing.assert_frame_equal(found(texts), found(texts))


def test_enumerated_points_after_an_announcement_continue_the_speaker():
    s = found(["Menurut Rina Wulandari, ekonom di INDEF, kenaikan tarif itu membawa tiga hal penting. "
               "Pertama, harga beras akan naik.",
               "Kedua, ekspor tekstil ke Eropa bisa turun tajam tahun depan.",
               "Ketiga, para petani kecil paling dirugikan oleh kebijakan itu.",
               "Harga cabai di Pasar Minggu stabil pekan ini."])
    assert s[["unit_id", "speaker", "kind"]].values.tolist() == [
        ["a-p000", "Rina Wulandari", "indirect"], ["a-p000", "Rina Wulandari", "continuation"],
        ["a-p001", "Rina Wulandari", "continuation"], ["a-p002", "Rina Wulandari", "continuation"]]


def test_an_ordinal_paragraph_without_an_announcement_is_the_journalist_s():
    s = found(["Menurut Rina Wulandari, ekonom di INDEF, harga beras akan naik.",
               "Kedua, pemerintah menambah impor gula dari Thailand."])
    assert s["unit_id"].tolist() == ["a-p000"]
    # The chain ends at the first paragraph that does not open with an ordinal.
    s = found(["Anton Wibisono, pengamat militer, mengatakan ada beberapa hal yang perlu dicatat.",
               "Harga minyak dunia naik lagi.", "Kedua, kapal itu kembali ke pelabuhan."], article="b")
    assert s["unit_id"].tolist() == ["b-p000"]


def test_english_points_continue_the_speaker():
    s = found(["Jane Doe, an economist at the Brookings Institution, said there were three reasons for the slump.",
               "First, exports to China fell by a fifth.", "Second, the central bank raised rates twice."],
              language="en")
    assert s["speaker"].tolist() == ["Jane Doe"] * 3 and s["kind"].tolist()[1:] == ["continuation"] * 2


def test_nested_cues_of_one_source_over_one_quote_are_one_statement():
    s = found(["Menteri Luar Negeri Indonesia Retno Marsudi tiba di Beijing pada Senin pagi.",
               "Menteri Luar Negeri Indonesia mengatakan bahwa Retno Marsudi mengatakan kepada Wang Yi bahwa "
               "Indonesia “siap menjadi penengah dalam perundingan damai itu”."])
    assert s["speaker"].tolist() == ["Retno Marsudi"]
    # Two different sources, one reporting the other: both speak.
    two = found(["Anton Wibisono, pengamat militer, mengatakan bahwa Retno Marsudi mengatakan kepada Wang Yi bahwa "
                 "Indonesia “siap menjadi penengah dalam perundingan damai itu”."], article="b")
    assert set(two["speaker"]) == {"Anton Wibisono", "Retno Marsudi"}
