"""Actors and sources: who is mentioned in the news, who speaks, in whose words, from where.

Modules: :mod:`.lexicon` (reporting cues, role and organisation words of
``attribution.yml``), :mod:`.gazetteer` (people, organisations and places,
with their sources), :mod:`.attribution` (statements: speaker, cue, kind,
content offsets), :mod:`.typology` (source type and origin by general
rules), :mod:`.statements` (the statements table), :mod:`.mentions` (alias
mentions and the co-mention network), :mod:`.voices` (frames inside quotes
against the journalist's words; wire stories against own reporting),
:mod:`.validation` (the speaker coding: sheets, import, precision and
recall), :mod:`.tools` (its command line), :mod:`.sources` (counts by type
and origin), :mod:`.sentences` (what the notebook and Findings say),
:mod:`.display` and :mod:`.figures` (the page's tables and figures),
:mod:`.batches` (the per-unit work, in batches of whole articles that run
wherever :mod:`analysis.workers` sends them) and :mod:`.stage`
(:func:`analyse_actors`).
"""

from .attribution import Speaker, Statement, find_quotes, find_statements
from .figures import plot_actor_network, plot_quote_frames, plot_source_profile, plot_voice_frames
from .gazetteer import GAZETTEER, Entry, Gazetteer, gazetteer_table, load_gazetteer
from .lexicon import ATTRIBUTION, Lexicon, compile_lexicon, load_attribution
from .mentions import alias_table, comention_network, count_actors, find_mentions
from .sentences import attribution_status, describe_check, describe_sources, describe_voices, describe_wire
from .display import quote_frames_for_display, scores_for_display, sources_for_display, statements_for_display
from .sources import count_by, summarise_sources
from .stage import NETWORK_MIN_UNITS, ActorParams, ActorsResult, analyse_actors, code_lists, describe_network
from .statements import STATEMENT_COLUMNS, attribute_statements
from .typology import Typed, Typer
from .validation import (load_speaker_coding, read_speaker_sheet, resolve_speaker_coding, score_attribution,
                         speaker_sheet_frame, write_speaker_sheet)
from .voices import code_voices, quote_frames, source_frames, story_origins, voice_spans, wire_frames

__all__ = [
    "ATTRIBUTION", "GAZETTEER", "NETWORK_MIN_UNITS", "STATEMENT_COLUMNS", "ActorParams", "ActorsResult", "Entry",
    "Gazetteer", "Lexicon", "Speaker", "Statement", "Typed", "Typer", "alias_table", "analyse_actors",
    "attribute_statements", "attribution_status", "code_lists", "code_voices", "comention_network", "compile_lexicon",
    "count_actors", "count_by", "describe_check", "describe_network", "describe_sources", "describe_voices",
    "describe_wire", "find_mentions", "find_quotes", "find_statements", "gazetteer_table", "load_attribution",
    "load_gazetteer", "load_speaker_coding", "plot_actor_network", "plot_quote_frames", "plot_source_profile", "plot_voice_frames",
    "quote_frames", "read_speaker_sheet", "resolve_speaker_coding", "score_attribution", "source_frames",
    "quote_frames_for_display", "scores_for_display", "sources_for_display", "speaker_sheet_frame",
    "statements_for_display", "story_origins", "summarise_sources", "voice_spans",
    "wire_frames", "write_speaker_sheet",
]
