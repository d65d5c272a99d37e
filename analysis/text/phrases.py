"""Phrases: frequent collocations joined into one token ("asia_tengah") with gensim ``Phrases``.

Rules kept here:

* **Fixed settings, one pass in corpus order.** Scoring is NPMI (bounded in
  [-1, 1], so one threshold works for small and large corpora), the
  delimiter is ``_``, and statistics are gathered batch by batch in the
  order of the units, so the same units give the same phrases.
* **Phrases never cross a removed word or an entity token.** A removed word
  leaves a :data:`~analysis.text.tokens.GAP`; gaps, entity tokens and joined
  tokens cut a unit into runs, and phrases are learned and applied inside runs
  only, so "presiden" + "vladimir_putin" never fuse.
* A phrase may span a connector word ("dan", "di", "untuk"…; see
  :func:`~analysis.text.lexicon.connector_words`); connector words left unjoined
  are dropped after the step, as are the gaps.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from .lexicon import connector_words
from .tokens import GAP


def _sentences(tokens: Sequence[str], unjoinable: frozenset[str]) -> Iterator[list[str]]:
    run: list[str] = []
    for token in tokens:
        if token == GAP or token in unjoinable or "_" in token:
            if run:
                yield run
            run = []
            if token != GAP:
                yield [token]
        else:
            run.append(token)
    if run:
        yield run


def new_phrases(language: str = "id", *, min_count: int = 2, threshold: float = 0.7):
    """Return an empty gensim ``Phrases`` model with the stage's fixed settings (NPMI, ``_``, connectors)."""
    from gensim.models.phrases import Phrases

    return Phrases(min_count=min_count, threshold=threshold, scoring="npmi",
                   connector_words=connector_words(language), delimiter="_")


def learn_phrases(
    docs: Iterable[Sequence[str]],
    language: str = "id",
    *,
    min_count: int = 2,
    threshold: float = 0.7,
    unjoinable: frozenset[str] = frozenset(),
    phrases=None,
):
    """Learn collocations with gensim ``Phrases`` and return them frozen.

    Connector words are Indonesian
    (:data:`~analysis.text.lexicon.INDONESIAN_CONNECTOR_WORDS`) or gensim's
    English ones. ``""`` tokens and tokens in ``unjoinable`` cut a document
    into runs that phrases never cross. Pass ``phrases`` (an unfrozen
    ``Phrases``, see :func:`new_phrases`) to keep adding batches; it is then
    returned unfrozen. The result is deterministic for a given document order.

    Examples
    --------
    >>> docs = [["asia", "tengah", "kawasan"], ["asia", "tengah", "ekonomi"]] * 3
    >>> frozen = learn_phrases(docs, min_count=2, threshold=0.5)
    >>> apply_phrases(["asia", "tengah", "kawasan"], frozen)
    ['asia_tengah', 'kawasan']
    """
    model = phrases or new_phrases(language, min_count=min_count, threshold=threshold)
    model.add_vocab(s for doc in docs for s in _sentences(doc, unjoinable))
    return model if phrases is not None else model.freeze()


def merge_phrases(phrases, part) -> None:
    """Add the statistics of ``part`` (an unfrozen ``Phrases`` learnt on the units that follow) to ``phrases``.

    This is the merge gensim's ``Phrases.add_vocab`` does after counting a
    batch, so chunks learnt apart (in worker processes) and merged in corpus
    order give the phrases one sequential pass gives. (Only a vocabulary of
    more than gensim's ``max_vocab_size``, 40 million unigrams and bigrams,
    would be pruned, as in gensim, and then depend on the chunks.)

    Examples
    --------
    >>> docs = [["asia", "tengah", "kawasan"], ["asia", "tengah", "ekonomi"]] * 3
    >>> whole = learn_phrases(docs, min_count=2, threshold=0.5)
    >>> merged = learn_phrases(docs[:3], phrases=new_phrases(min_count=2, threshold=0.5))
    >>> merge_phrases(merged, learn_phrases(docs[3:], phrases=new_phrases(min_count=2, threshold=0.5)))
    >>> merged.freeze().phrasegrams == whole.phrasegrams
    True
    """
    from gensim import utils

    phrases.corpus_word_count += part.corpus_word_count
    if not phrases.vocab:
        phrases.vocab = part.vocab
        return
    phrases.min_reduce = max(phrases.min_reduce, part.min_reduce)
    vocab = phrases.vocab
    for word, count in part.vocab.items():
        vocab[word] = vocab.get(word, 0) + count
    if len(vocab) > phrases.max_vocab_size:
        utils.prune_vocab(vocab, phrases.min_reduce)
        phrases.min_reduce += 1


def apply_phrases(
    tokens: Sequence[str], phrases, *, unjoinable: frozenset[str] = frozenset(), connectors: frozenset[str] = frozenset()
) -> list[str]:
    """Join learned phrases in ``tokens``; drop gaps and connector words left unjoined.

    ``phrases`` is a result of :func:`learn_phrases` (or ``None`` for no
    joining). See :func:`learn_phrases` for an example.
    """
    out: list[str] = []
    for run in _sentences(tokens, unjoinable):
        joined = phrases[run] if phrases is not None and len(run) > 1 else run
        out.extend(t for t in joined if t not in connectors)
    return out
