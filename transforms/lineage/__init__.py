"""Series lineage of recurring resolutions: which resolution succeeds which, and what changed.

Most of what the General Assembly adopts in a session it adopted the session before, or two
or three sessions before: "Strengthening the United Nations crime prevention and criminal
justice programme" is A/RES/74/177, 75/196, 76/187, 77/237 and 78/229, each a revision of the
last (and no session-79 member: 78/229's last paragraph takes the question up again at the
eightieth session). An analyst following a mandate, a State's language or a theme over time wants to read
such a series as one document that evolves: which paragraphs were kept word for word, which
were reworded (and how), which are new and which were dropped. This module gives that, in
three steps:

1. :func:`detect_series` chains resolutions into series from ``core.dim_resolution`` and the
   citations of ``core.bridge_paragraph_citation``.
2. :func:`align_paragraphs` matches the paragraphs of one resolution to those of its
   predecessor and gives a word-level diff of the reworded ones.
3. :func:`series_lineage` runs the alignment over every consecutive pair of every series.

Pure Python and Polars (RapidFuzz for the similarities): no Dagster, no DuckDB. On the whole
bundled corpus (sessions 74-79, 1,994 resolutions, some 85,000 paragraphs) detection takes
about 0.4 s and the lineage of its 1,259 steps about 3 s on two busy cores, most of it
preparing the words of every paragraph once; ``tests/test_lineage.py -s`` prints the timings.

Series detection
----------------
Two resolutions are linked, the later X succeeding the earlier Y (at most ``MAX_GAP``
sessions earlier), when one of these holds, in this order of strength:

``same_title``
    their titles are the same after :func:`title_key` (case, punctuation, spacing, hyphens,
    years and ordinal words folded, so "Special subjects relating to the proposed programme
    budget for 2022" recurs as "... for 2023", and the "Fourteenth"/"Fifteenth" Congress
    follow-up resolutions recur).
``cites_predecessor``
    X cites Y (an undocs.org link in a paragraph or footnote) and their titles are very
    similar (:func:`title_similarity` at least ``TITLE_SIMILARITY``): a series whose title
    was reworded, e.g. "Promotion of sustainable tourism, including ecotourism, ..." ->
    "Promotion of sustainable and resilient tourism, including ecotourism, ...".

The issue asked for the same title *under the same agenda item*. Agenda item numbers change
every session, so names are compared (:func:`_agenda_compatible`), but the names are not
reliable either: "Report of the Special Committee to Investigate Israeli Practices ..."
became "Israeli practices and settlement activities ..." in session 76, "Crimes against
humanity" left the item of the International Law Commission's report, 76/246 carries the
item "International Trade Centre" by mistake, 75/328 its item's Spanish name. Of the 1,242
``same_title`` links in sessions 74-79, 14 join resolutions whose agenda item names differ,
and reading them, all 14 are the same series. So the agenda item does not decide a link, it
ranks the candidates (below); requiring it would have broken those 14 links, or the 3 of
them that are not also citations (75/96 -> 76/80, 75/253 B -> 76/246 B, 74/4 -> 78/1) had a
citation been enough.

A series holds at most one resolution per session, so the candidate links are turned into
chains by a deterministic greedy matching: every resolution takes at most one predecessor and
gives at most one successor, and candidates are accepted in this order: nearest session first
(a yearly series is not short-circuited by a link to two sessions back), then ``same_title``
before ``cites_predecessor``, then a matching part letter, then a compatible agenda item,
then a citation, then the higher title similarity, then the symbols. *Ambiguity*: when a
resolution has two or more candidates in one session that nothing above tells apart (the
same title, part-letter agreement, agenda item and citation, the same similarity), the link is
left out rather than guessed; the same holds from the predecessor's side. Parts adopted
separately in one session (a budget's "A/RES/75/251", "B" and "C") therefore pair by part
letter, an unlettered resolution counting as part A (it is what the UN calls "A" once a "B"
exists), and a part with no same-letter counterpart ends its series instead of being
attached to an arbitrary sibling: 75/251 C, with only 76/244 and 76/244 B to follow it, ends
the series 74/261 C -> 75/251 C.

Paragraph alignment
-------------------
Paragraphs are compared within their kind (preambular, operative, annex) as lists of words
(:func:`paragraph_words`: ``transforms.text.comparable()`` folding of spacing, quotes, dashes
and case, footnote markers dropped, the paragraph's closing ``,``/``;``/``.`` ignored). Two
paragraphs with the same words are "unchanged". Then:

* the unchanged paragraphs that keep their order are the anchors (the longest common
  subsequence of the two resolutions' paragraphs);
* between two anchors, the remaining paragraphs are aligned *in order* (a dynamic programme
  maximising the total similarity) with pairs of at least ``CHANGED_THRESHOLD`` similarity,
  or of which one stands almost whole in the other (``CONTAINED_THRESHOLD``): these are
  "changed";
* what is left pairs across the document (a moved paragraph) only if at least
  ``MOVE_THRESHOLD`` similar, best pairs first;
* the rest of the current resolution is "new", the rest of the predecessor "dropped".

Similarity is RapidFuzz's normalised Indel similarity over the word lists: twice the words in
common, in order, over the total number of words (difflib's ratio, as in
``transforms/reconcile.py``): 1.0 for the same words, 1 - 1/n for one word replaced in an
n-word paragraph, 0.5 for a paragraph whose text was kept and as much again added.

The diff of a changed paragraph is one inline string in the ``wdiff`` convention, the whole
current paragraph with removed words in ``[-...-]`` and added words in ``{+...+}``::

    Requests the [-Secretary-General-] {+United Nations Office on Drugs and Crime+} to report

Words are shown as printed (the current text for kept and added words, the predecessor's for
removed ones). A dashboard can show it as is, or colour it with two regular expressions
(``\\[-(.*?)-\\]`` and ``\\{\\+(.*?)\\+\\}``); :func:`diff_chunks` gives the same edit as a
structured list for programs.

Modules, by concern: ``series`` (titles and :func:`detect_series`), ``words`` (the words of a
paragraph, :func:`paragraph_words`), ``diff`` (:func:`diff_chunks`, :func:`word_diff`: the
marts' ``diff`` column, which the dashboard renders) and ``align`` (:func:`align_paragraphs`, :func:`series_lineage`). Every
public name is importable from ``transforms.lineage``.
"""

from transforms.lineage.series import (  # noqa: F401
    LINK_CITES,
    LINK_SAME_TITLE,
    MAX_GAP,
    SERIES_SCHEMA,
    TITLE_SIMILARITY,
    detect_series,
    normalise_title,
    title_key,
    title_similarity,
)
from transforms.lineage.words import _normalised, paragraph_words  # noqa: F401
from transforms.lineage.diff import DIFF_ABSORB, diff_chunks, word_diff  # noqa: F401
from transforms.lineage.align import (  # noqa: F401
    ALIGNMENT_SCHEMA,
    CHANGED_THRESHOLD,
    CONTAINED_MIN_WORDS,
    CONTAINED_THRESHOLD,
    MOVE_THRESHOLD,
    STEP_PARAGRAPH_SCHEMA,
    STEP_SCHEMA,
    align_paragraphs,
    series_lineage,
)

__all__ = [
    "ALIGNMENT_SCHEMA", "CHANGED_THRESHOLD", "CONTAINED_MIN_WORDS", "CONTAINED_THRESHOLD", "DIFF_ABSORB",
    "LINK_CITES", "LINK_SAME_TITLE", "MAX_GAP", "MOVE_THRESHOLD", "SERIES_SCHEMA", "STEP_PARAGRAPH_SCHEMA",
    "STEP_SCHEMA", "TITLE_SIMILARITY", "align_paragraphs", "detect_series", "diff_chunks", "normalise_title",
    "paragraph_words", "series_lineage", "title_key", "title_similarity", "word_diff",
]
