"""Frames: inductive frames from topic networks and deductive frames from a codebook.

Two ways of finding frames, run side by side on the same units:

* **Deductive** (:mod:`.codebook`, :mod:`.coding`). A YAML codebook lists
  frames, each with yes/no questions and per-language indicators. Every unit
  gets a code per question with the indicators that fired as evidence, so
  each code can be audited; a unit's frame score is the share of the frame's
  questions answered yes. Codes are stored sparse (the yes codes and the
  scores above 0), coded in chunks over :func:`analysis.workers.pool`.
* **Inductive** (:mod:`.network`, ANTMN, Walter & Ophir 2019). Topics are the
  nodes of a network linked by how often they share documents; junk topics are
  left out, a disparity-filter backbone is marked, and its Louvain (or Leiden)
  communities, found with a fixed seed, are frames. :mod:`.stability` measures whether other
  seeds and neighbouring K give the same frames (adjusted Rand index);
  :mod:`.figures` draws the network and that stability.

:mod:`.prevalence` estimates how common each frame is, with bootstrap
intervals, and states the claims made from it (the most common frame, the
leading frames, the outlet gap) once for the notebook and Findings.
:mod:`.stage` is the stage function, :func:`analyse_frames`, which reads its
inputs and writes every table through :mod:`analysis.registry`.

Rules kept here: a malformed codebook raises :class:`AnalysisError` naming
the file, the frame and the field; every random step takes ``seed``; tables
follow their registry entries (long tables keyed by ``unit_id``).
"""

from ..files import require_columns
from .codebook import (CODEBOOK, KINDS, REFERENCES, Codebook, Frame, Question, compile_indicator, indicator_key,
                       load_codebook)
from .coding import (CodedUnits, choose_language, code_evidence, code_unit_file, code_units, describe_coding,
                     rollup_articles, score_texts, score_units)
from .figures import plot_frame_stability, plot_topic_network
from .network import (COMMUNITY_METHODS, NO_COMPARISON, ClosestMatch, backbone_edges, build_topic_network,
                      closest_match, communities, compare_frames, describe_frames, describe_network, detect_frames,
                      disparity_filter, mark_backbone, network_from_tables, network_tables, number_communities,
                      topic_columns, unit_frame_shares, write_network)
from .prevalence import (UNKNOWN_GROUP, TopFrames, frame_name, frame_prevalence, leading_frames, most_common_frames,
                         outlet_gap, outlet_label, outlet_spread, top_with_ties)
from .prevalence import (BODY_GROUP, OPENING_GROUP, OPENING_TYPES, compare_unit_types, headline_codes,
                         unit_type_prevalence, unit_type_table)
from .stability import FrameStability, assess_frame_stability, dominant_frames, frame_stability, model_frames
from .stage import FrameParams, FramesResult, analyse_frames, resolve_n_jobs

__all__ = [
    "COMMUNITY_METHODS", "FrameStability", "assess_frame_stability", "backbone_edges", "communities",
    "disparity_filter", "dominant_frames", "frame_stability", "mark_backbone", "model_frames",
    "network_from_tables", "number_communities", "plot_frame_stability", "plot_topic_network",
    "CODEBOOK", "KINDS", "NO_COMPARISON", "REFERENCES", "UNKNOWN_GROUP",
    "ClosestMatch", "Codebook", "Frame", "FrameParams", "FramesResult", "Question", "TopFrames",
    "analyse_frames", "build_topic_network", "choose_language", "closest_match", "code_evidence", "code_units",
    "compare_frames", "compile_indicator", "describe_coding", "describe_frames", "describe_network", "detect_frames",
    "frame_name", "frame_prevalence", "indicator_key", "leading_frames", "load_codebook", "most_common_frames",
    "network_tables", "outlet_gap", "outlet_label", "outlet_spread", "require_columns", "rollup_articles",
    "score_texts", "score_units", "top_with_ties", "topic_columns", "unit_frame_shares", "write_network",
]
__all__ += ["CodedUnits", "code_unit_file", "resolve_n_jobs"]
__all__ += ["BODY_GROUP", "OPENING_GROUP", "OPENING_TYPES", "compare_unit_types", "headline_codes",
            "unit_type_prevalence", "unit_type_table"]
