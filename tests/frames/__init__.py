"""Tests of analysis.frames, one module per module of the subpackage."""
