"""The default corpus is the raw data, byte for byte, as SOURCES.md documents it."""

import re

from analysis import provenance


def test_raw_files_match_sources_md(seed_corpus):
    documented = dict(re.findall(r"\| (\d{3}_[0-9a-f]+\.txt) \| ([0-9a-f]{64}) \|", (seed_corpus / "SOURCES.md").read_text()))
    assert len(documented) == 5
    assert provenance.hash_corpus(seed_corpus) == documented
