"""The validation stage: coding by design, reliability, supervised coders validated out of sample, corrected prevalence.

Modules: :mod:`.design` (the coding sample and its size rule), :mod:`.sheets`
(XLSX/CSV coding sheets and their strict import), :mod:`.guide` (the coder
guide), :mod:`.coding_set` (coders' and adjudicated codes), :mod:`.agreement`
(α, agreement, F1 with article-bootstrap intervals), :mod:`.coders` (the
machine coders), :mod:`.embeddings` (multilingual sentence embeddings),
:mod:`.evaluate` (scores, method choice, final codes), :mod:`.correction`
(prevalence corrected for measurement error), :mod:`.codes` (codebook items,
majority, the indicators' validity and the sentences), and :mod:`.stage`
(:func:`validate`).
"""

from .codes import (ALPHA_RELIABLE, ALPHA_TENTATIVE, MACHINE, alpha_scope, coding_items, confusion_table,
                    describe_coding, describe_reliability, describe_validation, describe_validity, disagreements,
                    find_coding_sheets, human_majority, nominal_alpha, read_coding_set_info, read_coding_sheets,
                    read_machine_codes, reliability, resolve_coding_set, summarize, validity)
from .coding_set import CodingSet, load_coding_set
from .display import corrected_for_display, methods_for_display, reliability_for_display, scores_for_display
from .stage import ValidationParams, ValidationResult, validate

__all__ = [
    "ALPHA_RELIABLE", "ALPHA_TENTATIVE", "MACHINE", "CodingSet", "ValidationParams", "ValidationResult",
    "alpha_scope", "coding_items", "confusion_table", "describe_coding", "describe_reliability",
    "describe_validation", "describe_validity", "disagreements", "find_coding_sheets", "human_majority",
    "load_coding_set", "corrected_for_display", "methods_for_display", "reliability_for_display", "scores_for_display", "nominal_alpha", "read_coding_set_info", "read_coding_sheets", "read_machine_codes",
    "reliability", "resolve_coding_set", "summarize", "validate", "validity",
]
