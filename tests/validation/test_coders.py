"""Supervised frame coders: out of sample by article, recovering planted frames."""

import numpy as np
import pandas as pd
import pytest

from analysis.validation import coders, evaluate
from analysis.validation.agreement import binary_scores

PLANTED = ["pakta pertahanan bersama", "latihan militer gabungan", "pengiriman senjata dan amunisi",
           "kerja sama militer yang erat", "perjanjian pertahanan strategis"]
FILLER = ["pemerintah", "menteri", "pekan lalu", "di ibu kota", "menurut laporan", "kunjungan resmi",
          "pertemuan tingkat tinggi", "para pejabat", "hubungan bilateral", "ekonomi kawasan", "perdagangan",
          "investasi baru", "harga minyak", "pariwisata", "pendidikan", "kesehatan masyarakat"]


def planted_corpus(n_articles=40, units_per_article=8, prevalence=0.3, seed=7):
    """Units whose frame is planted: a frame unit carries one planted phrase among filler words."""
    rng = np.random.default_rng(seed)
    rows = []
    for a in range(n_articles):
        for u in range(units_per_article):
            frame = int(rng.random() < prevalence)
            words = list(rng.choice(FILLER, size=6))
            if frame:
                words.insert(int(rng.integers(0, 6)), str(rng.choice(PLANTED)))
            rows.append((f"a{a:03d}-p{u:03d}", f"a{a:03d}", " ".join(words), frame))
    return pd.DataFrame(rows, columns=["unit_id", "article_id", "text", "military"])


def features_of(df):
    return coders.Features(df["unit_id"].to_numpy(), df["text"].to_numpy())


def test_folds_never_split_an_article():
    groups = np.repeat(np.arange(12), 5)
    for train, test in coders.article_folds(groups, 5):
        assert not set(groups[train]) & set(groups[test])


def test_tfidf_coder_recovers_planted_frame_out_of_fold():
    df = planted_corpus()
    labels = df.set_index("unit_id")[["military"]]
    pred = coders.out_of_fold("tfidf", features_of(df), labels, df["article_id"].to_numpy(), seed=1)
    s = binary_scores(labels["military"], pred["military"])
    assert s["f1"] >= 0.9, s


def test_a_frame_never_coded_is_predicted_absent():
    df = planted_corpus().assign(military=0)
    labels = df.set_index("unit_id")[["military"]]
    pred = coders.out_of_fold("tfidf", features_of(df), labels, df["article_id"].to_numpy(), seed=1)
    assert (pred["military"] == 0).all()


def test_predictions_are_reproducible():
    df = planted_corpus(n_articles=10)
    labels = df.set_index("unit_id")[["military"]]
    a = coders.out_of_fold("tfidf", features_of(df), labels, df["article_id"].to_numpy(), seed=3)
    b = coders.out_of_fold("tfidf", features_of(df), labels, df["article_id"].to_numpy(), seed=3)
    assert a.equals(b)


def test_combined_uses_embeddings_and_indicators():
    df = planted_corpus(n_articles=12)
    rng = np.random.default_rng(0)
    emb = rng.normal(size=(len(df), 8)).astype(np.float32)
    ind = df[["military"]].to_numpy()  # a perfect indicator
    f = coders.Features(df["unit_id"].to_numpy(), df["text"].to_numpy(), emb, ind)
    labels = df.set_index("unit_id")[["military"]]
    pred = coders.out_of_fold("combined", f, labels, df["article_id"].to_numpy(), seed=1)
    assert binary_scores(labels["military"], pred["military"])["f1"] >= 0.9


def test_learning_curve_rises_with_more_coded_units():
    df = planted_corpus(n_articles=30)
    labels = df.set_index("unit_id")[["military"]]
    curve = coders.learning_curve("tfidf", features_of(df), labels, df["article_id"].to_numpy(), seed=2, steps=4)
    assert curve["share"].tolist() == [0.25, 0.5, 0.75, 1.0]
    assert curve["n_train"].is_monotonic_increasing
    assert curve["f1"].iloc[-1] >= curve["f1"].iloc[0]


def test_choose_method_prefers_simpler_on_ties_and_respects_fixed():
    scores = pd.DataFrame({"frame": ["f"] * 3, "method": ["tfidf", "indicators", "combined"],
                           "alpha": [0.8, 0.8, 0.7], "alpha_lo": [0.6] * 3, "alpha_hi": [0.9] * 3})
    assert evaluate.choose_methods(scores)["method"].tolist() == ["indicators"]
    assert evaluate.choose_methods(scores, {"f": "combined"})["method"].tolist() == ["combined"]
    low = scores.assign(alpha=[0.5, 0.4, np.nan])
    assert not evaluate.choose_methods(low)["validated"].iloc[0]


def test_final_codes_are_out_of_fold_inside_the_sample():
    units = pd.DataFrame({"unit_id": ["u1", "u2", "u3"], "article_id": ["a", "b", "c"]})
    chosen = pd.DataFrame({"frame": ["f"], "method": ["tfidf"]})
    oof = {"tfidf": pd.DataFrame({"f": [0.0, 1.0]}, index=["u1", "u2"])}
    full = {"tfidf": pd.DataFrame({"f": [1, 1, 0]}, index=["u1", "u2", "u3"])}
    out = evaluate.final_codes(chosen, oof, full, units).set_index("unit_id")
    assert out.loc["u1", "code"] == 0 and out.loc["u1", "out_of_fold"]
    assert out.loc["u2", "code"] == 1 and out.loc["u2", "out_of_fold"]
    # Sparse: a unit outside the sample whose full-model code is 0 has no row.
    assert "u3" not in out.index and len(out) == 2


def test_predict_all_in_chunks_gives_the_one_pass_codes():
    import numpy as np
    import pandas as pd

    from analysis.validation import coders

    rng = np.random.default_rng(3)
    words = np.array(["perang", "damai", "sanksi", "ekonomi", "harga", "militer", "cuaca"])
    texts = np.array([" ".join(rng.choice(words, 6)) for _ in range(57)])
    every = coders.Features(np.array([f"u{i}" for i in range(57)]), texts,
                            indicators=rng.integers(0, 2, size=(57, 3)))
    coded = every.take(np.arange(20))
    labels = pd.DataFrame({"f": [int("perang" in t) for t in texts[:20]], "g": 0}, index=coded.unit_ids)
    for method in ("tfidf", "combined"):
        whole = coders.fit_predict_frames(method, coded, labels, every, seed=1)
        chunked = coders.predict_all(method, coded, labels, every, seed=1, chunk_units=7)
        pd.testing.assert_frame_equal(chunked, whole)
        assert chunked["f"].sum() > 0 and (chunked["g"] == 0).all()
