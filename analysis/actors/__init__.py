"""Actors and sources: who is mentioned in the news, who speaks, in whose words, from where.

Modules: :mod:`.lexicon` (reporting cues, role and organisation words of
``attribution.yml``), :mod:`.gazetteer` (people, organisations and places,
with their sources), :mod:`.attribution` (statements: speaker, cue, kind,
content offsets), :mod:`.typology` (source type and origin by general
rules), :mod:`.statements` (the statements table), :mod:`.mentions` (alias
mentions and the co-mention network), :mod:`.voices` (frames inside quotes
against the journalist's words; wire stories against own reporting),
:mod:`.validation` (the speaker coding: sheets, import, precision and
recall), :mod:`.sentences` (what the notebook and Findings say) and
:mod:`.stage` (:func:`analyse_actors`).
"""
