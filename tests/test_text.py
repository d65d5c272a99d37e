"""Tests for analysis.text: each preprocessing step in Indonesian and English,
the alias table, parameters, the files prepare_text writes, and the done-when
checks on the seed corpus."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from analysis import text
from analysis.errors import AnalysisError

SEEDS = Path(__file__).resolve().parents[1] / "data" / "raw" / "ru-alliances-id"

# Lines that are page furniture, not article text (the corpus stage removes
# them with its own rules; this test builds seed units without that module).
BOILERPLATE = re.compile(
    r"^(baca juga|tonton juga|foto/|\[redaktur|you may also like|more from author|\+ there are no|add yours|"
    r"estimated read time|daily news$|bagaimana reaksi|%d blogger|berita terkait|berita terbaru|edisi terbaru|"
    r"subscribe|whatsapp|isi form|populer$|inframe$|pilihan editor|reuters$|zvr$)",
    re.IGNORECASE,
)
# A final token is letters/digits, joined only by "_" or "-" inside.
CLEAN_TOKEN = re.compile(r"^[^\W_]+(?:[-_][^\W_]+)*$")


def _units(texts: list[str], article: str = "a") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_id": [f"{article}-p{i:03d}" for i in range(len(texts))],
            "article_id": [article] * len(texts),
            "text": texts,
        }
    )


def _read_tokens(path: Path) -> list[list[str]]:
    return [list(t) for t in pd.read_parquet(path)["tokens"]]


def _file_bytes(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in ("tokens.parquet", "dictionary.gensim", "bow.mm")}


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


@pytest.fixture(scope="module")
def seed_units() -> pd.DataFrame:
    rows = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines = [" ".join(line.split()) for line in path.read_text(encoding="utf-8").splitlines()]
        lines = [line for line in lines if line and not BOILERPLATE.match(line)]
        rows += [(f"{path.stem}-p{i:03d}", path.stem, line) for i, line in enumerate(lines)]
    assert len(rows) > 50
    return pd.DataFrame(rows, columns=["unit_id", "article_id", "text"])


@pytest.fixture(scope="module")
def seed_result(seed_units, tmp_path_factory):
    return text.prepare_text(seed_units, tmp_path_factory.mktemp("seeds"), language="id", seed=1)


# ----------------------------------------------------------------------------- tokenize


def test_tokenize_indonesian_keeps_reduplication_and_splits_compounds():
    tokens = text.tokenize("Negara-negara BRICS, besar-besaran; hubungan Rusia-Korut dan Asia-Pasifik.")
    assert tokens == ["negara-negara", "brics", "besar-besaran", "hubungan", "rusia", "korut", "dan", "asia", "pasifik"]


def test_tokenize_drops_urls_domains_dates_numbers_quotes():
    tokens = text.tokenize(
        'WahanaNews.co, Jakarta - “Kemitraan” baru (23/6/2024) pada 13 September 2023, lihat '
        "https://www.tempo.co/a?b=1 atau tulis ke redaksi@contoh.id; 40 kali, 2,5% G20."
    )
    assert tokens == ["jakarta", "kemitraan", "baru", "pada", "september", "lihat", "atau", "tulis", "ke", "kali", "g20"]
    assert all(CLEAN_TOKEN.match(t) for t in tokens)


def test_tokenize_english_possessive_abbreviation_and_case():
    assert text.tokenize("The U.S. and Russia's allies don't agree.", "en", lower=False) == [
        "The", "US", "and", "Russia", "allies", "dont", "agree",
    ]
    assert text.tokenize("Russia's", "id") == ["russias"]  # no English possessive rule in Indonesian


def test_tokenize_is_deterministic_and_handles_missing_text():
    sample = "Kerja sama Rusia–Korut: “aliansi” baru?"
    assert text.tokenize(sample) == text.tokenize(sample)
    assert text.tokenize(None) == [] and text.tokenize("") == []
    with pytest.raises(AnalysisError, match="language"):
        text.tokenize("x", "fr")


# ----------------------------------------------------------------------------- word lists


def test_shipped_stopword_lists_match_their_sources():
    import stopwordsiso
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    assert text._read_word_list(text.STOPWORDS_DIR / "id.txt") == frozenset(stopwordsiso.stopwords("id"))
    assert text._read_word_list(text.STOPWORDS_DIR / "en.txt") == frozenset(ENGLISH_STOP_WORDS)


@pytest.mark.parametrize(
    "language, removed, kept",
    [
        ("id", {"yang", "dan", "menurut", "ujarnya", "baca", "sama", "luar"}, {"kerja", "pertahanan", "aliansi", "sanksi"}),
        ("en", {"the", "and", "said", "according", "reuters"}, {"system", "interest", "defense", "cooperation"}),
    ],
)
def test_stopwords_never_contain_protected_terms(language, removed, kept):
    stopwords = text.load_stopwords(language)
    assert removed <= stopwords
    assert not kept & stopwords
    assert not text.load_protected_terms(language) & stopwords


def test_user_stopwords_and_protected_terms():
    assert "rusia" in text.load_stopwords("id", extra=["Rusia"])
    assert "dalam" not in text.load_stopwords("id", protected=["dalam"])
    assert "kerja sama" in text.load_protected_terms("id")
    with pytest.raises(AnalysisError, match="extra_stopwords"):
        text.load_stopwords("id", extra="rusia")


# ----------------------------------------------------------------------------- aliases


@pytest.fixture(scope="module")
def id_table():
    return text.load_aliases("id")


def _aliased(sample: str, table, **kwargs):
    return text.apply_aliases(text.tokenize(sample, table.language, lower=False), table, **kwargs)


def test_aliases_map_surface_forms_to_one_token(id_table):
    tokens, hits = _aliased(
        "Korut, Korea Utara, Republik Demokratik Rakyat Korea; Tiongkok dan Cina; AS dan Amerika Serikat; "
        "Organisasi Kerja Sama Shanghai, CSO; Organisasi Perdagangan Atlantik Utara; Dewan Keamanan PBB",
        id_table,
    )
    assert tokens == [
        "korea_utara", "china", "dan", "china", "amerika_serikat", "dan", "amerika_serikat", "sco", "nato",
        "dewan_keamanan_pbb",
    ]
    assert hits[("korut", "korea_utara", "country")] == 1
    assert hits[("korea utara", "korea_utara", "country")] == 1


def test_aliases_keep_analysts_apart_from_leaders(id_table):
    tokens, _ = _aliased("Duyeon Kim menilai Kim dan Kim Jong Un; Leif-Eric Easley, Nigel Gold-Davis", id_table)
    assert tokens == ["duyeon_kim", "menilai", "kim_jong_un", "dan", "kim_jong_un", "leif_eric_easley", "nigel_gould_davies"]
    assert id_table.lookup("Duyeon Kim").canonical == "duyeon_kim"
    assert id_table.lookup("Kim").canonical == "kim_jong_un"


def test_aliases_case_sensitive_surface(id_table):
    assert _aliased("AS", id_table)[0] == ["amerika_serikat"]
    assert _aliased("as roda", id_table)[0] == ["as", "roda"]  # "as" (axle) is not the US


def test_metonyms_are_mapped_and_reported_or_kept_literal(id_table):
    tokens, hits = _aliased("Kremlin dan Washington berselisih, kata diplomat di Moskow.", id_table)
    assert tokens == ["rusia", "dan", "amerika_serikat", "berselisih", "kata", "diplomat", "di", "moskow"]
    assert hits[("kremlin", "rusia", "metonym")] == 1
    assert hits[("moskow", "moskow", "place")] == 1
    assert _aliased("Beijing", id_table, metonyms=False)[0] == ["beijing"]


def test_aliases_english(tmp_path):
    table = text.load_aliases("en")
    tokens, _ = _aliased("The US told us that North Korea (DPRK) and Moscow met in Moscow.", table)
    assert tokens == ["the", "amerika_serikat", "told", "us", "that", "korea_utara", "and", "rusia", "met", "in", "moscow"]
    assert table.lookup("Korut") is None  # Indonesian-only surface


def test_user_alias_file_is_merged_over_shipped(tmp_path):
    user = tmp_path / "aliases.yml"
    user.write_text(
        "drop: [kim]\nentities:\n"
        "  - {canonical: pemerintah_as, kind: metonym, surfaces: [washington]}\n"
        "  - {canonical: kim_yo_jong, kind: person, surfaces: [adik kim]}\n",
        encoding="utf-8",
    )
    table = text.load_aliases("id", user)
    assert table.lookup("Washington").canonical == "pemerintah_as"
    assert table.lookup("Kim") is None
    assert table.lookup("adik Kim").canonical == "kim_yo_jong"
    assert table.lookup("Korut").canonical == "korea_utara"
    frame = table.to_frame()
    assert list(frame.columns) == ["surface", "canonical", "kind", "label", "case_sensitive"]
    assert set(frame["kind"]) <= set(text.ALIAS_KINDS)


@pytest.mark.parametrize(
    "content, message",
    [
        ("entities: [\n", "malformed YAML"),
        ("- just a list\n", "mapping"),
        ("entities:\n  - {canonical: x, kind: planet, surfaces: [x]}\n", r"entities\[0\]\.kind"),
        ("entities:\n  - {canonical: X Y, kind: person, surfaces: [x]}\n", r"entities\[0\]\.canonical"),
        ("entities:\n  - {canonical: a, kind: person, surfaces: [x]}\n  - {canonical: b, kind: person, surfaces: [x]}\n",
         "already listed"),
    ],
)
def test_bad_alias_file_names_file_and_field(tmp_path, content, message):
    path = tmp_path / "bad.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AnalysisError, match=message) as info:
        text.load_aliases("id", path)
    assert str(path) in str(info.value)
    with pytest.raises(AnalysisError, match="not found"):
        text.load_aliases("id", tmp_path / "missing.yml")


# ----------------------------------------------------------------------------- stopwords step


def test_remove_stopwords_joins_protected_phrases_and_keeps_entities():
    sw = text.load_stopwords("id")
    tokens = "kerja sama yang erat antara rusia dan korea_utara satu sama lain x 40 hubungan luar negeri".split()
    kept = text.remove_stopwords(tokens, sw, protected=text.load_protected_terms("id"), keep=frozenset({"korea_utara"}))
    assert kept == ["kerja_sama", "erat", "rusia", "korea_utara", "hubungan", "luar_negeri"]
    gapped = text.remove_stopwords(
        "rusia dan ukraina yang perang".split(), sw, connectors=text.connector_words("id"), gaps=True
    )
    assert gapped == ["rusia", "dan", "ukraina", "yang", "perang"]


def test_remove_stopwords_english():
    sw = text.load_stopwords("en", extra=["watched"])
    kept = text.remove_stopwords(
        "the security system of the west was watched by us mutual defence".split(),
        sw,
        protected=text.load_protected_terms("en"),
    )
    assert kept == ["security", "system", "west", "mutual_defence"]


# ----------------------------------------------------------------------------- phrases


def test_phrases_join_collocations_but_never_across_gaps_or_entities():
    docs = [["asia", "tengah", "kawasan"], ["pilar", "utama", "dunia"], ["asia", "tengah", "pilar", "utama"]] * 3
    frozen = text.learn_phrases(docs, "id", min_count=2, threshold=0.5)
    assert text.apply_phrases(["asia", "tengah", "dan", "pilar", "utama"], frozen,
                              connectors=text.connector_words("id")) == ["asia_tengah", "pilar_utama"]
    assert text.apply_phrases(["asia", "", "tengah"], frozen) == ["asia", "tengah"]
    assert text.apply_phrases(["asia", "tengah"], frozen, unjoinable=frozenset({"tengah"})) == ["asia", "tengah"]
    again = text.learn_phrases(docs, "id", min_count=2, threshold=0.5)
    assert dict(frozen.phrasegrams) == dict(again.phrasegrams)


def test_phrases_span_connector_words_in_english():
    docs = [["bank", "of", "america", "lends"], ["bank", "of", "america", "sues"], ["bank", "of", "america"]] * 2
    frozen = text.learn_phrases(docs, "en", min_count=2, threshold=0.3)
    assert text.apply_phrases(["bank", "of", "america"], frozen) == ["bank_of_america"]


# ----------------------------------------------------------------------------- stemming


def test_stemming_is_memoized_over_the_vocabulary(monkeypatch):
    calls = Counter()

    def fake_stem(word):
        calls[word] += 1
        return word[:4]

    monkeypatch.setattr(text, "_stemmer", lambda language: fake_stem)
    docs = [["pertemuan", "pertemuan", "kerja_sama"], ["pertemuan", "bertemu", "aliansi"]] * 5
    stemmed, memo = text.stem_tokens(docs, "id", keep=frozenset({"aliansi"}))
    assert stemmed[1] == ["pert", "bert", "aliansi"]
    assert calls == Counter({"pertemuan": 1, "bertemu": 1})  # each distinct word once
    _, memo = text.stem_tokens([["pertemuan", "baru"]], "id", memo=memo)
    assert calls == Counter({"pertemuan": 1, "bertemu": 1, "baru": 1})


def test_real_stemmers_indonesian_and_english():
    assert text.stem_tokens([["pertemuan", "bertemu", "negara-negara"]], "id")[0] == [["temu", "temu", "negara"]]
    assert text.stem_tokens([["sanctions", "sanctioned", "us_ally"]], "en")[0] == [["sanction", "sanction", "us_ally"]]


# ----------------------------------------------------------------------------- parameters


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"no_below": 0}, "no_below"),
        ({"no_above": 0}, "no_above"),
        ({"no_above": 1.5}, "no_above"),
        ({"keep_n": 0}, "keep_n"),
        ({"stem": "yes"}, "stem"),
        ({"phrases": 1}, "phrases"),
        ({"phrase_threshold": 5.0}, "phrase_threshold"),
        ({"phrase_min_count": 1.5}, "phrase_min_count"),
        ({"extra_stopwords": "rusia"}, "extra_stopwords"),
        ({"protected_terms": [""]}, "protected_terms"),
        ({"n_jobs": 0}, "n_jobs"),
        ({"min_token_len": -1}, "min_token_len"),
    ],
)
def test_bad_parameters_name_the_parameter(kwargs, name):
    with pytest.raises(AnalysisError, match=f"^{name}:"):
        text.TextParams(**kwargs)


def test_params_from_dict_and_defaults_scale():
    assert text.TextParams.from_dict({"no_below": 3}).no_below == 3
    with pytest.raises(AnalysisError, match="no_belwo"):
        text.TextParams.from_dict({"no_belwo": 3})
    small, large = text.default_params(80), text.default_params(100_000)
    assert (small.no_below, small.keep_n) == (2, None)
    assert large.no_below == 20 and large.keep_n == 100_000 and large.phrase_min_count > small.phrase_min_count
    assert text.default_params(80, stem=True).stem is True


# ----------------------------------------------------------------------------- prepare_text


def test_prepare_text_indonesian_writes_aligned_files(tmp_path):
    from gensim.corpora import Dictionary, MmCorpus

    units = _units(ID_TEXTS)
    result = text.prepare_text(units, tmp_path, language="id", params=text.TextParams(no_above=1.0))
    tokens = _read_tokens(result.tokens_path)
    table = pd.read_parquet(result.tokens_path)
    assert table["unit_id"].tolist() == units["unit_id"].tolist()
    assert table["article_id"].tolist() == units["article_id"].tolist()
    assert tokens[4] == [] and result.n_empty_units == 1  # kept, empty, for alignment
    assert {"kerja_sama", "korea_utara", "vladimir_putin", "rusia"} <= set(tokens[1]) | set(tokens[0])
    assert "duyeon_kim" not in result.dictionary.token2id  # occurs once: below no_below=2
    bow = list(MmCorpus(str(result.bow_path)))
    dictionary = Dictionary.load(str(result.dictionary_path))
    assert len(bow) == len(tokens)
    for row, toks in zip(bow, tokens):
        assert sorted((dictionary[i], int(n)) for i, n in row) == sorted(Counter(toks).items())
    assert list(result.steps["step"]) == ["tokenize", "aliases", "stopwords", "phrases", "doc_frequency"]
    assert result.steps["vocab_size"].iloc[-1] == len(dictionary)
    assert list(result.top_terms.columns) == ["term", "count", "doc_freq"]
    assert result.top_terms.iloc[0]["term"] == "kerja_sama" and result.top_terms.iloc[0]["count"] == 4
    assert list(result.alias_hits.columns) == ["surface", "canonical", "kind", "count"]
    assert result.stemming is None


def test_prepare_text_english(tmp_path):
    result = text.prepare_text(_units(EN_TEXTS), tmp_path, language="en", params=text.TextParams(no_above=1.0))
    vocab = set(result.dictionary.token2id)
    assert {"korea_utara", "vladimir_putin", "amerika_serikat", "cooperation", "defense"} <= vocab
    assert not vocab & text.load_stopwords("en")
    assert "us" not in vocab and "rusia" in vocab


def test_prepare_text_is_deterministic_across_runs_inputs_and_processes(tmp_path):
    units = _units(ID_TEXTS * 3)
    params = text.TextParams(no_above=1.0)
    base = _file_bytes(text.prepare_text(units, tmp_path / "a", params=params).tokens_path.parent)
    assert _file_bytes(text.prepare_text(units, tmp_path / "b", params=params).tokens_path.parent) == base
    batches = (units.iloc[i : i + 4] for i in range(0, len(units), 4))
    assert _file_bytes(text.prepare_text(batches, tmp_path / "c", params=params).tokens_path.parent) == base
    units.to_parquet(tmp_path / "units.parquet")
    assert _file_bytes(text.prepare_text(tmp_path / "units.parquet", tmp_path / "d", params=params).tokens_path.parent) == base
    parallel = text.TextParams(no_above=1.0, n_jobs=2)
    assert _file_bytes(text.prepare_text(units, tmp_path / "e", params=parallel).tokens_path.parent) == base


def test_prepare_text_reports_stemming_when_on(tmp_path):
    units = _units(["Pertemuan kedua pemimpin.", "Mereka bertemu lagi.", "Pertemuan dan bertemu."])
    result = text.prepare_text(units, tmp_path, params=text.TextParams(stem=True, no_above=1.0, no_below=1))
    assert list(result.steps["step"])[-2:] == ["stemming", "doc_frequency"]
    assert "temu" in result.dictionary.token2id
    row = result.stemming.set_index("stem").loc["temu"]
    assert row["n_words"] == 2 and row["words"] == "bertemu, pertemuan"


def test_prepare_text_bad_input(tmp_path):
    with pytest.raises(AnalysisError, match="no units"):
        text.prepare_text(_units([]), tmp_path)
    with pytest.raises(AnalysisError, match="missing column"):
        text.prepare_text(pd.DataFrame({"unit_id": ["a"], "text": ["x"]}), tmp_path)
    with pytest.raises(AnalysisError, match="no_below"):
        text.prepare_text(_units(["rusia aliansi", "korea pertahanan"]), tmp_path)
    with pytest.raises(AnalysisError, match="units.parquet: units file not found"):
        text.prepare_text(tmp_path / "units.parquet", tmp_path)
    (tmp_path / "junk.parquet").write_bytes(b"not parquet")
    with pytest.raises(AnalysisError, match="junk.parquet"):
        text.prepare_text(tmp_path / "junk.parquet", tmp_path)
    with pytest.raises(AnalysisError, match="language"):
        text.prepare_text(_units(ID_TEXTS), tmp_path, language="de")


# ----------------------------------------------------------------------------- seeds: done-when


def test_seed_tokens_meet_the_done_when(seed_result):
    tokens = _read_tokens(seed_result.tokens_path)
    vocab = {t for row in tokens for t in row}
    assert {"kerja_sama", "korea_utara", "vladimir_putin", "kim_jong_un", "sco", "nato"} <= vocab
    assert not vocab & text.load_stopwords("id")
    assert not vocab & {"baca", "juga", "foto", "redaktur", "wahananews", "tempo", "priangan", "com", "co", "dilansir"}
    assert all(CLEAN_TOKEN.match(t) for t in vocab), sorted(t for t in vocab if not CLEAN_TOKEN.match(t))
    assert not {"korut", "tiongkok", "putin", "moskow"} & vocab  # all mapped to their canonical token


def test_seed_aliases_korut_and_duyeon_kim(seed_result, seed_units, id_table):
    hits = seed_result.alias_hits
    fired = set(zip(hits["surface"], hits["canonical"]))
    assert {("korut", "korea_utara"), ("korea utara", "korea_utara")} <= fired
    assert ("duyeon kim", "duyeon_kim") in fired
    assert ("organisasi perdagangan atlantik utara", "nato") in fired
    assert set(hits.loc[hits["kind"] == "metonym", "surface"]) >= {"moskow", "washington", "pentagon", "beijing"}
    duyeon = seed_units[seed_units["text"].str.contains("Duyeon Kim")]["text"].iloc[0]
    tokens, _ = _aliased(duyeon, id_table)
    # The unit names both: "Putin dan Kim ..." (the leader), "kata Duyeon Kim" (the analyst).
    assert tokens.count("duyeon_kim") == 1 and tokens.count("kim_jong_un") == 1
    assert tokens[tokens.index("duyeon_kim") - 1] == "kata"


def test_seed_tokens_are_reproducible(seed_units, seed_result, tmp_path):
    again = text.prepare_text(seed_units, tmp_path, language="id", seed=99)
    assert _file_bytes(tmp_path) == _file_bytes(seed_result.tokens_path.parent)
    assert seed_result.steps.equals(again.steps) and seed_result.alias_hits.equals(again.alias_hits)
