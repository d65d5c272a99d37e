"""Tests of analysis.corpus, one module per module of the subpackage."""
