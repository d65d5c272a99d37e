"""The coder guide: generated from the codebook, so coders and machine read the same definitions.

For each frame the guide gives its definition, its yes/no questions (in the
sheet's language and in English), and the codebook's rules for inclusion and
exclusion with their examples. It never shows the indicators: coders judge
meaning, and a coder who has seen the keyword list is no longer independent
of the keyword coder.
"""

from __future__ import annotations


def _text(value, language: str) -> str:
    if isinstance(value, dict):
        return str(value.get(language) or value.get("en") or next(iter(value.values()), ""))
    return "" if value is None else str(value)


def coder_guide(codebook, *, language: str = "en", coders: tuple[str, ...] = (), n_units: int = 0) -> str:
    """Return the coder guide as Markdown.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> q = NS(id="f_q1", text={"en": "Is it so?", "id": "Apakah begitu?"})
    >>> f = NS(id="f", name="F", kind="generic", definition="Def.", questions=[q],
    ...        include=["a rule"], exclude=["another"], source="x")
    >>> cb = NS(name="Toy", version="1", frames=[f])
    >>> text = coder_guide(cb, language="id")
    >>> "Apakah begitu?" in text and "Include: a rule" in text and "indicator" not in text.lower()
    True
    """
    head = [f"# Coder guide: {codebook.name} (version {codebook.version})", "",
            "Code every unit on every item: **1** = yes, **0** = no. Leave no cell empty.",
            "Judge each unit from its own text; read its headline and neighbours only to know who or what "
            "a pronoun means. A question is *yes* only when the unit itself says it, in words or by an "
            "unmistakable paraphrase. Code the questions first, then each frame as a whole (a frame may be "
            "present although a question is not, and the reverse).",
            "Code alone: do not discuss units with other coders until everyone has finished."]
    if n_units:
        head.append(f"Your sheet has {n_units} units" + (f"; coders: {', '.join(coders)}." if coders else "."))
    lines = ["\n\n".join(head), ""]
    for frame in codebook.frames:
        lines += [f"## {frame.name} (`{frame.id}`, {frame.kind})", "", _text(frame.definition, language), ""]
        for q in frame.questions:
            local, english = _text(q.text, language), _text(q.text, "en")
            lines.append(f"- `{q.id}`: {local}" + (f" ({english})" if english != local else ""))
        for label, rules in (("Include", getattr(frame, "include", ()) or ()),
                             ("Exclude", getattr(frame, "exclude", ()) or ())):
            lines += [f"- {label}: {rule}" for rule in rules]
        lines += [f"- Frame column `{frame.id}`: 1 when the unit as a whole carries this frame.", ""]
    return "\n".join(lines).rstrip() + "\n"
