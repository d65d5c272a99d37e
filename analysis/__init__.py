"""Reproducible topic modeling and framing analysis of news corpora.

The package holds every computation of the pipeline; the notebooks in
``notebooks/`` only orchestrate, explain and plot. One module per stage:
``corpus`` (ingest, clean, segment), ``text`` (tokens, stopwords, aliases,
phrases), ``topics`` (LDA, K selection, stability), ``frames`` (inductive and
deductive frames), ``actors`` (who is mentioned and quoted), ``validation``
(human coding, reliability, validity). ``runner`` executes the notebooks with
papermill and ``site`` builds the website.
"""

__version__ = "0.1.0"
