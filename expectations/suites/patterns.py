"""Patterns and constants that several suites use."""

from __future__ import annotations


SHA256 = r"^[0-9a-f]{64}$"
DOCUMENT_ID = r"^[0-9a-f]{32}$"
SYMBOL = r"^A/RES/(\d+|ES-\d+|S-\d+)/\d+( [A-Z])?$"
# A verb as fact_paragraph and the mandates store it: lower-case words, hyphens allowed
# ("re-emphasizes"), phrasal verbs of several words ("calls upon", "bearing in mind").
LOWER_WORDS = r"^[a-z][a-z-]*( [a-z][a-z-]*)*$"
# The adverbs warehouse/models/core/fact_paragraph.sql removes from a lead phrase before taking
# its verb ("Also requests" -> "requests"): none may be left at the start of a verb.
DROPPED_ADVERBS = (r"^(also|further|again|once|strongly|deeply|gravely|seriously|firmly|urgently|furthermore"
                   r"|moreover|likewise|in this regard|in that regard|in this context|in this connection"
                   r"|in particular)\b")


MEMBER_STATES = 193  # votes cast in a recorded vote: at most one per Member State
