"""Machine coders of frames, trained and scored only out of sample.

Three kinds of automated coder answer "does this unit carry frame F?":

* ``indicators``: the codebook's keyword and regular-expression indicators
  (no training; the frame is present when the share of its questions
  answered yes reaches ``frame_threshold``).
* ``tfidf``: a supervised classifier per frame (scikit-learn's
  ``LogisticRegression``, balanced class weights) on tf-idf features of word
  uni- and bigrams, trained on the coders' adjudicated codes.
* ``embeddings``: the same classifier on multilingual sentence embeddings
  (Google's Universal Sentence Encoder v3, see :mod:`analysis.validation.embeddings`).
* ``combined``: the classifier on tf-idf features, embeddings (when given)
  and the indicator answers together.

Rules kept here:

* **Out of sample only.** A supervised coder is scored on units it was not
  trained on. Folds are grouped by article (``GroupKFold``), so paragraphs of
  one article never sit on both sides: they share topic, wording and author.
* **The machine column is always a prediction.** For a unit inside the coded
  sample the machine's code is its out-of-fold prediction; outside it, the
  prediction of a model trained on every coded unit. It is never a copy of
  a coder's code.
* A frame that the coders never (or always) coded cannot be learned: its
  supervised codes are the constant the coders used, and its scores say
  "undefined" rather than a number the data do not support.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

METHODS = ("indicators", "tfidf", "embeddings", "combined")
SUPERVISED = ("tfidf", "embeddings", "combined")


@dataclass(frozen=True)
class Features:
    """What a supervised coder can see of each unit, aligned with ``unit_ids``.

    ``text`` is the unit text (for tf-idf), ``embeddings`` an ``(n, d)`` array
    or None, ``indicators`` an ``(n, q)`` 0/1 array of the codebook's question
    answers (or None).
    """

    unit_ids: np.ndarray
    text: np.ndarray
    embeddings: np.ndarray | None = None
    indicators: np.ndarray | None = None

    def take(self, index: np.ndarray) -> "Features":
        """The rows ``index`` of every feature block."""
        return Features(self.unit_ids[index], self.text[index],
                        None if self.embeddings is None else self.embeddings[index],
                        None if self.indicators is None else self.indicators[index])


def _fit_design(method: str, train: Features):
    """Fit the feature blocks of ``method`` on the training units; return (fitted transformers, X_train)."""
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    blocks, fitted = [], {}
    if method in ("tfidf", "combined"):
        # Word uni- and bigrams, sublinear tf: frame wording is phrases ("kerja sama militer"),
        # and a term said five times is not five times the evidence.
        fitted["tfidf"] = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, lowercase=True)
        blocks.append(fitted["tfidf"].fit_transform(train.text))
    if method in ("embeddings", "combined") and train.embeddings is not None:
        fitted["embeddings"] = True
        blocks.append(sparse.csr_matrix(train.embeddings))
    if method == "combined" and train.indicators is not None:
        fitted["indicators"] = True
        blocks.append(sparse.csr_matrix(train.indicators.astype(float)))
    if not blocks:
        raise ValueError(f"method {method!r} has no features (embeddings missing?)")
    return fitted, sparse.hstack(blocks).tocsr()


def _apply_design(fitted: dict, test: Features):
    """The test units' features, by the transformers :func:`_fit_design` fitted (row by row: chunks may be coded apart)."""
    from scipy import sparse

    blocks = []
    if "tfidf" in fitted:
        blocks.append(fitted["tfidf"].transform(test.text))
    if "embeddings" in fitted:
        blocks.append(sparse.csr_matrix(test.embeddings))
    if "indicators" in fitted:
        blocks.append(sparse.csr_matrix(test.indicators.astype(float)))
    return sparse.hstack(blocks).tocsr()


def _design(method: str, train: Features, test: Features, seed: int):
    """Return (X_train, X_test) for ``method``; tf-idf is fitted on the training units only."""
    fitted, X_train = _fit_design(method, train)
    return X_train, _apply_design(fitted, test)


def _classifier(seed: int):
    from sklearn.linear_model import LogisticRegression

    # Balanced class weights: most frames are rare, and an unweighted model learns to say "no".
    # liblinear: exact and fast for a few hundred coded units, deterministic with random_state.
    return LogisticRegression(C=10.0, class_weight="balanced", solver="liblinear", max_iter=2000, random_state=seed)


def _fit_predict(X_train, y: np.ndarray, X_test, n_test: int, seed: int) -> np.ndarray:
    y = np.asarray(y, dtype=int)
    if len(np.unique(y)) < 2:
        return np.full(n_test, int(y[0]) if len(y) else 0, dtype=int)
    model = _classifier(seed).fit(X_train, y)
    return model.predict(X_test).astype(int)


def fit_predict_frames(method: str, train: Features, labels: pd.DataFrame, test: Features, *, seed: int) -> pd.DataFrame:
    """One classifier per frame (column of ``labels``), trained on ``train``; 0/1 predictions for ``test``.

    The features are built once for all frames. When a frame's training
    labels hold one class only, its prediction is that class: nothing can be
    learned from them.
    """
    needs = any(len(np.unique(labels[f])) > 1 for f in labels.columns)
    X_train, X_test = _design(method, train, test, seed) if needs else (None, None)
    return pd.DataFrame({f: _fit_predict(X_train, labels[f].to_numpy(), X_test, len(test.unit_ids), seed)
                         for f in labels.columns}, index=pd.Index(test.unit_ids, name="unit_id"))


def fit_predict(method: str, train: Features, y: np.ndarray, test: Features, *, seed: int) -> np.ndarray:
    """Train one frame's classifier on ``train`` and return 0/1 predictions for ``test``.

    Examples
    --------
    >>> tr = Features(np.array(["a", "b", "c", "d"]), np.array(["war war", "peace", "war now", "calm day"]))
    >>> te = Features(np.array(["e"]), np.array(["war again"]))
    >>> fit_predict("tfidf", tr, np.array([1, 0, 1, 0]), te, seed=1).tolist()
    [1]
    """
    return fit_predict_frames(method, train, pd.DataFrame({"f": y}), test, seed=seed)["f"].to_numpy()


def article_folds(groups: np.ndarray, n_splits: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return (train, test) index pairs of a grouped K-fold over articles (deterministic).

    With fewer articles than ``n_splits`` every article is its own fold
    (leave one article out).

    >>> [t.tolist() for _, t in article_folds(np.array(["a", "a", "b", "c"]), 5)]
    [[0, 1], [2], [3]]
    """
    from sklearn.model_selection import GroupKFold

    groups = np.asarray(groups)
    k = min(n_splits, len(np.unique(groups)))
    if k < 2:
        return []
    folds = list(GroupKFold(n_splits=k).split(np.zeros(len(groups)), groups=groups))
    return sorted(folds, key=lambda f: int(f[1].min()))


def out_of_fold(method: str, features: Features, labels: pd.DataFrame, groups: np.ndarray, *,
                seed: int, n_splits: int = 5) -> pd.DataFrame:
    """Out-of-fold predictions of ``method`` for every coded unit and frame.

    ``labels`` is a units × frames 0/1 frame aligned with ``features``;
    ``groups`` the article of each unit. Returns the same shape, each cell
    predicted by a model that never saw the unit's article. Units of an
    article that is alone in the coded sample cannot be predicted out of
    sample and are NaN.
    """
    out = pd.DataFrame(np.nan, index=labels.index, columns=labels.columns)
    for train, test in article_folds(groups, n_splits):
        pred = fit_predict_frames(method, features.take(train), labels.iloc[train], features.take(test), seed=seed)
        out.iloc[test] = pred.to_numpy()
    return out


def predict_all(method: str, coded: Features, labels: pd.DataFrame, target: Features, *, seed: int,
                chunk_units: int = 20_000) -> pd.DataFrame:
    """Predictions for ``target`` units from a model per frame trained on every coded unit.

    The models are fitted once; the target units are transformed and coded
    ``chunk_units`` at a time, so a large corpus never has all its tf-idf rows
    in memory. A unit's features and prediction depend on it alone, so the
    codes are those of one pass.
    """
    needs = any(len(np.unique(labels[f])) > 1 for f in labels.columns)
    if not needs:
        return fit_predict_frames(method, coded, labels, target, seed=seed)
    fitted, X_train = _fit_design(method, coded)
    models = {}
    for f in labels.columns:
        y = np.asarray(labels[f].to_numpy(), dtype=int)
        if len(np.unique(y)) < 2:
            models[f] = int(y[0]) if len(y) else 0
        else:
            models[f] = _classifier(seed).fit(X_train, y)
    parts = []
    n = len(target.unit_ids)
    for start in range(0, n, chunk_units):
        part = target.take(np.arange(start, min(start + chunk_units, n)))
        X = _apply_design(fitted, part)
        parts.append(pd.DataFrame({f: (np.full(X.shape[0], m, dtype=int) if isinstance(m, int)
                                       else m.predict(X).astype(int)) for f, m in models.items()},
                                  index=pd.Index(part.unit_ids, name="unit_id")))
    return pd.concat(parts) if parts else fit_predict_frames(method, coded, labels, target, seed=seed)


def learning_curve(method: str, features: Features, labels: pd.DataFrame, groups: np.ndarray, *,
                   seed: int, steps: int = 5, n_splits: int = 5) -> pd.DataFrame:
    """F1 and α out of fold when the model is trained on growing shares of the coded units.

    For each fold, the training units are shuffled once (fixed seed) and the
    model is trained on the first 20%, 40% … 100% of them; every model is
    scored on the same held-out article(s). Pooled over folds, the curve
    tells whether coding more units would still help (a curve still rising
    at 100%) or not (a plateau).

    Returns ``frame``, ``n_train`` (mean training units), ``share``, ``f1``, ``alpha``.
    """
    from .agreement import binary_scores

    rng = np.random.default_rng(seed)
    folds = article_folds(groups, n_splits)
    orders = [rng.permutation(train) for train, _ in folds]
    rows = []
    for step in range(1, steps + 1):
        share = step / steps
        preds = pd.DataFrame(np.nan, index=labels.index, columns=labels.columns)
        sizes = []
        for (train, test), order in zip(folds, orders):
            part = np.sort(order[: max(2, int(round(share * len(order))))])
            sizes.append(len(part))
            preds.iloc[test] = fit_predict_frames(method, features.take(part), labels.iloc[part],
                                                  features.take(test), seed=seed).to_numpy()
        for frame in labels.columns:
            ok = preds[frame].notna().to_numpy()
            s = binary_scores(labels[frame].to_numpy()[ok], preds[frame].to_numpy()[ok])
            rows.append((frame, float(np.mean(sizes)) if sizes else 0.0, share, s["f1"], s["alpha"]))
    return pd.DataFrame(rows, columns=["frame", "n_train", "share", "f1", "alpha"])
