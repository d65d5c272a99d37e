"""Tests for analysis.text.prepare: the parameters, the files and tables prepare_text writes,
and the done-when checks on the seed corpus."""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import fields

import pandas as pd
import pytest

from analysis import parameters, registry, text
from analysis.errors import AnalysisError
from analysis.text import prepare

from .samples import (BOILERPLATE, CLEAN_TOKEN, EN_TEXTS, ID_TEXTS, SEEDS, file_bytes, read_tokens, run_with_units,
                      units_frame)

# ----------------------------------------------------------------------------- parameters


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"no_below": -1}, "no_below"),
        ({"no_below": 2.5}, "no_below"),
        ({"no_above": 0}, "no_above"),
        ({"no_above": 1.5}, "no_above"),
        ({"keep_n": 0}, "keep_n"),
        ({"stem": "yes"}, "stem"),
        ({"phrases": 1}, "phrases"),
        ({"phrase_threshold": 5.0}, "phrase_threshold"),
        ({"phrase_min_count": 1.5}, "phrase_min_count"),
        ({"extra_stopwords": "rusia"}, "extra_stopwords"),
        ({"protected_terms": [""]}, "protected_terms"),
        ({"aliases_file": 3}, "aliases_file"),
        ({"n_jobs": -1}, "n_jobs"),
        ({"min_token_len": -1}, "min_token_len"),
        ({"metonyms": "no"}, "metonyms"),
    ],
)
def test_bad_parameters_name_the_parameter(kwargs, name):
    with pytest.raises(AnalysisError, match=rf"\b{name}\b"):
        text.TextParams(**kwargs)


def test_notebook_parameters_take_their_defaults_from_the_notebook():
    params = text.TextParams()
    for name in ("extra_stopwords", "protected_terms", "phrases", "stem", "no_below", "no_above", "n_jobs"):
        assert getattr(params, name) == parameters.default(name), name
    assert params.aliases_file is None and parameters.default("aliases_file") == ""  # "" means no file
    assert text.TextParams(aliases_file="").aliases_file is None


def test_params_from_dict_and_defaults_scale():
    assert text.TextParams.from_dict({"no_below": 3}).no_below == 3
    with pytest.raises(AnalysisError, match="no_belwo"):
        text.TextParams.from_dict({"no_belwo": 3})
    small, large = text.default_params(80), text.default_params(100_000)
    assert (small.no_below, small.keep_n) == (2, None)
    assert large.no_below == 20 and large.keep_n == 100_000 and large.phrase_min_count > small.phrase_min_count
    assert text.default_params(80, stem=True).stem is True
    with pytest.raises(AnalysisError, match="no_belwo"):
        text.default_params(80, no_belwo=3)


def test_scale_params_resolves_only_the_zeros():
    scaled = text.scale_params(text.TextParams(no_below=0, n_jobs=0), 100_000)
    assert scaled.no_below == 20 and scaled.n_jobs >= 1
    kept = text.TextParams(no_below=7, n_jobs=2)
    assert text.scale_params(kept, 100_000) == kept


# ----------------------------------------------------------------------------- prepare_text


def test_prepare_text_indonesian_writes_aligned_files(tmp_path):
    from gensim.corpora import Dictionary, MmCorpus

    units = units_frame(ID_TEXTS)
    paths = run_with_units(tmp_path, units)
    result = text.prepare_text(paths, language="id", params=text.TextParams(no_above=1.0))
    tokens = read_tokens(paths)
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


def test_prepare_text_writes_its_tables_through_the_registry(tmp_path):
    paths = run_with_units(tmp_path, ID_TEXTS)
    result = text.prepare_text(paths, params={"no_above": 1.0})
    for key, frame in (("text_steps", result.steps), ("text_top_terms", result.top_terms),
                       ("alias_hits", result.alias_hits)):
        pd.testing.assert_frame_equal(registry.read(paths, key), frame, check_dtype=False)
        assert paths.csv(key).exists()
    resolved = registry.read(paths, "text_params").set_index("parameter")["value"]
    # the table lists the parameters as resolved: scaled no_below and n_jobs, "no file" as None
    assert (resolved["no_below"], resolved["n_jobs"], resolved["aliases_file"], resolved["no_above"]) == (
        "2", "1", "None", "1.0")
    assert list(resolved.index) == [f.name for f in fields(text.TextParams)]


def test_prepare_text_english(tmp_path):
    paths = run_with_units(tmp_path, EN_TEXTS)
    result = text.prepare_text(paths, language="en", params=text.TextParams(no_above=1.0))
    vocab = set(result.dictionary.token2id)
    assert {"korea_utara", "vladimir_putin", "amerika_serikat", "cooperation", "defense"} <= vocab
    assert not vocab & text.load_stopwords("en")
    assert "us" not in vocab and "rusia" in vocab


def test_prepare_text_auto_language_follows_the_articles(tmp_path):
    paths = run_with_units(tmp_path, EN_TEXTS)
    pd.DataFrame({"article_id": ["a"], "language": ["en"]}).to_parquet(paths.file("articles"))
    assert text.prepare_text(paths, language="auto", params={"no_above": 1.0}).language == "en"


def test_prepare_text_is_deterministic_across_runs_batches_and_processes(tmp_path, monkeypatch):
    units = units_frame(ID_TEXTS * 3)
    params = text.TextParams(no_above=1.0)
    first = run_with_units(tmp_path / "a", units)
    text.prepare_text(first, params=params)
    base = file_bytes(first)
    again = run_with_units(tmp_path / "b", units)
    text.prepare_text(again, params=params)
    assert file_bytes(again) == base
    # the corpus stage's units carry more columns; only unit_id, article_id and text are read
    wide = run_with_units(tmp_path / "c", units.assign(position=range(len(units)), start=0, end=1))
    text.prepare_text(wide, params=params)
    assert file_bytes(wide) == base
    parallel = run_with_units(tmp_path / "d", units)
    text.prepare_text(parallel, params=text.TextParams(no_above=1.0, n_jobs=2))
    assert file_bytes(parallel) == base
    monkeypatch.setattr(prepare, "_BATCH_ROWS", 4)
    batched = run_with_units(tmp_path / "e", units)
    text.prepare_text(batched, params=params)
    # smaller batches give other Parquet row groups, never other tokens, dictionary or bag of words
    assert read_tokens(batched) == read_tokens(first)
    assert {k: v for k, v in file_bytes(batched).items() if k != "tokens"} == {
        k: v for k, v in base.items() if k != "tokens"}


def test_prepare_text_reports_stemming_when_on(tmp_path):
    paths = run_with_units(tmp_path, ["Pertemuan kedua pemimpin.", "Mereka bertemu lagi.", "Pertemuan dan bertemu."])
    result = text.prepare_text(paths, params=text.TextParams(stem=True, no_above=1.0, no_below=1))
    assert list(result.steps["step"])[-2:] == ["stemming", "doc_frequency"]
    assert "temu" in result.dictionary.token2id
    row = result.stemming.set_index("stem").loc["temu"]
    assert row["n_words"] == 2 and row["words"] == "bertemu, pertemuan"


def test_prepare_text_bad_input(tmp_path):
    with pytest.raises(AnalysisError, match="no units"):
        text.prepare_text(run_with_units(tmp_path / "empty", []))
    with pytest.raises(AnalysisError, match="lacks column"):
        text.prepare_text(run_with_units(tmp_path / "columns", pd.DataFrame({"unit_id": ["a"], "text": ["x"]})))
    with pytest.raises(AnalysisError, match="no_below"):
        text.prepare_text(run_with_units(tmp_path / "filtered", ["rusia aliansi", "korea pertahanan"]))
    with pytest.raises(AnalysisError, match="not a string"):
        text.prepare_text(run_with_units(tmp_path / "types", pd.DataFrame(
            {"unit_id": ["a"], "article_id": ["a"], "text": [3]}).astype({"text": object})))
    missing = registry.RunPaths(tmp_path / "missing")
    with pytest.raises(AnalysisError, match="units.parquet: missing: run notebook 01-build-corpus first"):
        text.prepare_text(missing)
    junk = run_with_units(tmp_path / "junk", ID_TEXTS)
    junk.file("units").write_bytes(b"not parquet")
    with pytest.raises(AnalysisError, match="units.parquet: unreadable Parquet"):
        text.prepare_text(junk)
    with pytest.raises(AnalysisError, match="language"):
        text.prepare_text(run_with_units(tmp_path / "de", ID_TEXTS), language="de")
    with pytest.raises(AnalysisError, match="params"):
        text.prepare_text(run_with_units(tmp_path / "params", ID_TEXTS), params=3)


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
def seed_run(seed_units, tmp_path_factory):
    paths = run_with_units(tmp_path_factory.mktemp("seeds"), seed_units)
    return paths, text.prepare_text(paths, language="id", seed=1)


def test_seed_tokens_meet_the_done_when(seed_run):
    paths, _ = seed_run
    vocab = {t for row in read_tokens(paths) for t in row}
    assert {"kerja_sama", "korea_utara", "vladimir_putin", "kim_jong_un", "sco", "nato"} <= vocab
    assert not vocab & text.load_stopwords("id")
    assert not vocab & {"baca", "juga", "foto", "redaktur", "wahananews", "tempo", "priangan", "com", "co", "dilansir"}
    assert all(CLEAN_TOKEN.match(t) for t in vocab), sorted(t for t in vocab if not CLEAN_TOKEN.match(t))
    assert not {"korut", "tiongkok", "putin", "moskow"} & vocab  # all mapped to their canonical token


def test_seed_aliases_korut_and_duyeon_kim(seed_run, seed_units):
    hits = seed_run[1].alias_hits
    fired = set(zip(hits["surface"], hits["canonical"]))
    assert {("korut", "korea_utara"), ("korea utara", "korea_utara")} <= fired
    assert ("duyeon kim", "duyeon_kim") in fired
    assert ("organisasi perdagangan atlantik utara", "nato") in fired
    assert set(hits.loc[hits["kind"] == "metonym", "surface"]) >= {"moskow", "washington", "pentagon", "beijing"}
    duyeon = seed_units[seed_units["text"].str.contains("Duyeon Kim")]["text"].iloc[0]
    tokens, _ = text.apply_aliases(text.tokenize(duyeon, lower=False), text.load_aliases("id"))
    # The unit names both: "Putin dan Kim ..." (the leader), "kata Duyeon Kim" (the analyst).
    assert tokens.count("duyeon_kim") == 1 and tokens.count("kim_jong_un") == 1
    assert tokens[tokens.index("duyeon_kim") - 1] == "kata"


def test_seed_tokens_are_reproducible(seed_units, seed_run, tmp_path):
    paths, result = seed_run
    again_paths = run_with_units(tmp_path, seed_units)
    again = text.prepare_text(again_paths, language="id", seed=99)
    assert file_bytes(again_paths) == file_bytes(paths)
    assert result.steps.equals(again.steps) and result.alias_hits.equals(again.alias_hits)


# ----------------------------------------------------------------------------- chunks and workers


def _stage_bytes(paths) -> dict[str, bytes]:
    index = paths.file("bow").with_name(paths.file("bow").name + ".index")
    return {**file_bytes(paths), "index": index.read_bytes(),
            **{key: paths.csv(key).read_bytes() for key in ("text_steps", "text_top_terms", "alias_hits")}}


def test_chunks_merged_in_order_give_the_sequential_files(tmp_path, monkeypatch):
    # Units whose chunks (4 rows here) each bring new terms, phrases and empty rows, in the middle and at the end.
    units = units_frame(ID_TEXTS * 2 + EN_TEXTS[:1] + ID_TEXTS[::-1] + ["Baca juga: 23/6/2024"])
    params = text.TextParams(no_above=1.0, no_below=1, phrase_min_count=2, phrase_threshold=0.3)
    whole = run_with_units(tmp_path / "whole", units)
    text.prepare_text(whole, params=params)  # one chunk: the sequential pass
    monkeypatch.setattr(prepare, "_BATCH_ROWS", 2)
    assert len(prepare._plan(whole.file("units"), len(units), tmp_path, "x")) > 3
    for n_jobs in (1, 2):
        chunked = run_with_units(tmp_path / f"chunked{n_jobs}", units)
        text.prepare_text(chunked, params=dataclasses.replace(params, n_jobs=n_jobs))
        assert read_tokens(chunked) == read_tokens(whole)
        assert {k: v for k, v in _stage_bytes(chunked).items() if k != "tokens"} == {
            k: v for k, v in _stage_bytes(whole).items() if k != "tokens"}
    one, two = run_with_units(tmp_path / "one", units), run_with_units(tmp_path / "two", units)
    text.prepare_text(one, params=dataclasses.replace(params, n_jobs=1))
    text.prepare_text(two, params=dataclasses.replace(params, n_jobs=2))
    assert _stage_bytes(one) == _stage_bytes(two)  # row groups too, with the same batch size


def test_bag_of_words_is_the_file_gensim_writes(tmp_path):
    from gensim.corpora import Dictionary, MmCorpus

    units = units_frame(["Baca juga: 40"] + ID_TEXTS + ["Baca juga: 23/6/2024", "Foto/AP"])
    paths = run_with_units(tmp_path / "run", units)
    result = text.prepare_text(paths, params=text.TextParams(no_above=1.0))
    assert read_tokens(paths)[0] == [] and read_tokens(paths)[-1] == []  # empty first, inner and last rows
    dictionary = Dictionary.load(str(result.dictionary_path))
    reference = tmp_path / "reference.mm"
    MmCorpus.serialize(str(reference), (dictionary.doc2bow(t) for t in read_tokens(paths)), id2word=dictionary)
    assert result.bow_path.read_bytes() == reference.read_bytes()
    index = result.bow_path.with_name(result.bow_path.name + ".index")
    assert index.read_bytes() == reference.with_name("reference.mm.index").read_bytes()


def test_merged_dictionary_is_the_sequential_one():
    from gensim.corpora import Dictionary

    docs = [["b", "a", "b"], ["c", "a"], [], ["e", "d", "a"], ["d", "f"]]
    whole = Dictionary(docs)
    merged = Dictionary(docs[:2])
    for part in (docs[2:4], docs[4:]):
        prepare._merge_dictionary(merged, Dictionary(part))
    assert merged.token2id == whole.token2id
    assert list(merged.dfs.items()) == list(whole.dfs.items()) and list(merged.cfs.items()) == list(whole.cfs.items())
    assert (merged.num_docs, merged.num_pos, merged.num_nnz) == (whole.num_docs, whole.num_pos, whole.num_nnz)


@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_files(tmp_path, monkeypatch):
    from distributed import LocalCluster

    from analysis import workers

    units = units_frame(ID_TEXTS * 4)
    params = text.TextParams(no_above=1.0)
    here = run_with_units(tmp_path / "here", units)
    text.prepare_text(here, params=params)
    monkeypatch.setattr(prepare, "_BATCH_ROWS", 3)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        monkeypatch.setenv(workers.ENV, cluster.scheduler_address)
        there = run_with_units(tmp_path / "there", units)
        text.prepare_text(there, params=params)
    monkeypatch.delenv(workers.ENV)
    assert read_tokens(there) == read_tokens(here)
    assert {k: v for k, v in _stage_bytes(there).items() if k != "tokens"} == {
        k: v for k, v in _stage_bytes(here).items() if k != "tokens"}
