"""Actors: who a resolution names, who it asks to act, who sponsored it and who voted.

Reference data (``transforms/reference/``):

* ``actors.csv`` -- the actor dimension: the 193 Member States and the 2 observer
  States (ISO3 ids, M49 codes, names as the UN writes them), UN organs and
  entities, other organisations, and the collective addressees the resolutions
  use ("Member States", "civil society"...). ``aliases`` lists other spellings
  and historical names, separated by semicolons.
* ``actors_name_repairs.csv`` -- spellings seen in the sponsor and vote lists of
  sessions 74-79 that are slips (truncations, typos, a mis-encoded letter), each
  mapped to the actor meant and the reason. Used by :func:`resolve_name` only,
  never to find actors in paragraph text.
* ``actors_text_exclusions.csv`` -- phrases that contain an actor's name without
  naming the actor ("Gulf of Guinea", "United States dollars", "Charter of the
  United Nations"). In paragraph text they are matched and discarded.

Functions:

* :func:`load_actors` -- the validated dimension (``dim_actor``).
* :func:`resolve_name` -- the actor id of one name as written anywhere
  (case-, accent- and punctuation-insensitive).
* :func:`paragraph_actors` -- actors found in paragraphs, each an ``addressee``
  (asked to act) or ``mentioned``.
* :func:`resolution_actors` -- sponsors and voters resolved to actor ids.
* :func:`mandates` -- operative paragraphs requesting or directing a UN entity.

How addressees are found
------------------------
Actor names are found with one Aho-Corasick pass over all paragraphs
(:func:`transforms.automaton.leftmost_matches`: Polars ``str.replace_many``, leftmost-longest,
case-sensitive, each match's pattern and character offset at once; every alias also in its
"the ..." form, with both apostrophes and without accents). The directive clauses below are
read by Python regexes, only in operative paragraphs, and the scan for a clause in
mid-paragraph only where a looser Rust regex, run over all of them at once, finds one.
A match inside a longer word, or inside an excluded phrase, is dropped;
"States" preceded by a capitalised word ("Arab States", "Small Island
Developing States") is not the collective "States"; "the United Nations",
"the Assembly", "the Secretariat" and the anaphors below are dropped when the
next word continues a name we do not know ("the Secretariat of the
Convention...").

In an operative paragraph a *directive clause* is a verb that asks someone to
act -- requests, calls upon, urges, encourages, invites, appeals to, directs,
authorizes, mandates, entrusts, instructs, asks, exhorts, reminds, recommends,
demands, decides, and "reiterates/renews/reaffirms/recalls its request/call/
invitation/appeal (to)", with modifiers (also, further, again, strongly...).
It is taken at the start of the paragraph, and in the middle where it follows
", ", "; ", ", and " or " and " ("Welcomes ..., and requests the Commission
... to"). The addressee is the noun phrase right after the verb (or after
"that" for "Decides that", "Recommends that", "Requests that"): the first actor
match, reached over at most four lower-case words that are not prepositions
("all", "interested", "relevant") or over "the Government(s)/authorities of",
then further actors joined by ",", "and", "or", "as well as", "including",
"in particular", "especially"; a leading aside (", in this regard,") and "the
entities/organizations/parts of" are stepped over. An actor after a preposition ("in cooperation
with UNODC") is not an addressee, only mentioned. A clause in mid-paragraph
counts only when an infinitive ("to provide") follows the addressees, so that
the noun "requests" ("needs, requests and priorities of Member States") does
not make an addressee; an opening clause needs no infinitive.

"Decides": "Decides to request/invite/urge/authorize... X" addresses X;
"Decides that X shall..." addresses X when X is an actor; otherwise (the
Assembly deciding for itself: "Decides to include in the provisional agenda",
"Decides that the meeting shall...") the addressee is ``general_assembly``
with a null ``matched_text``, so that analysts can count the Assembly's
self-decisions and leave them out of mandates.

Anaphors ("the Office", "the Commission", "the Council", "the Committee", "the
Special Committee", "the Advisory Committee", "the Conference (of the (States)
Parties)", "the Programme", "the Fund", "the Entity", "the Agency", "the
Department", "the High Commissioner", "the Court", "the Tribunal", "the
Authority", "the Board", "the Forum", "the Institute", "the Union"...; see
``_ANAPHORS``) resolve to an actor that has the word in its name and that the
same resolution names explicitly with a form that holds the word or with an
acronym ("United Nations Office on Drugs and Crime", "UNODC"; a mention of
"African Union" makes no antecedent for "the Commission"). Among those named
before the anaphor (or, if none, anywhere in the resolution) the one named most
often wins, ties going to the one named last before it. In a crime-prevention
resolution "the Office" is thus UNODC, in a human-rights one OHCHR, and "the
Special Committee" of a decolonization text is the Special Committee on
decolonization. An anaphor with no candidate is dropped; one whose next word
continues a name ("the Office of the Special Envoy") is not an anaphor.
``matched_text`` keeps "the Office". The heuristic fails when the body meant
is not in actors.csv but a namesake is named in the same text.

An actor that is an addressee is not repeated as ``mentioned`` for the same
match; it can be both at different positions of one paragraph.

Mandates follow the 2006 Mandate Registry: a request or direction for action
by the Secretariat or another implementing entity. They are the addressee rows
of operative paragraphs whose actor is a UN organ or entity (``un_organ``,
``un_entity``; the Secretary-General is a ``un_entity``) or the United Nations
system as a whole (``un_system``), and whose verb requests or directs
(requests, asks, calls upon, urges, directs, authorizes, mandates, entrusts,
instructs, tasks, demands, decides that X shall, decides to request...). Not
mandates: invitations and encouragement ("invites", "encourages", "appeals
to", "recommends", "reminds"), the Assembly's own decisions, and anything
addressed to Member States or other collectives.

Modules, by concern: ``reference`` (the CSV files, :func:`load_actors`, name keys),
``catalogue`` (names and patterns, :func:`resolve_name`), ``addressees``
(:func:`paragraph_actors`), ``mandates`` (:func:`mandates`, :func:`report_sessions`) and
``sponsors`` (:func:`resolution_actors`); :func:`actors_and_mandates` gives paragraph_actors'
and mandates' output from one analysis, as the enrich step needs both. Every public name is
importable from ``transforms.actors``.
"""

from transforms.actors.reference import (  # noqa: F401
    ACTOR_TYPES,
    ACTORS_CSV,
    COLUMNS,
    DIM_ACTOR_SCHEMA,
    EXCLUSIONS_CSV,
    REFERENCE_DIR,
    REPAIRS_CSV,
    REQUIRED_COLUMNS,
    STATE_TYPES,
    UN_TYPES,
    load_actors,
    name_key,
)
from transforms.actors.catalogue import _catalogue, _Catalogue, _default_catalogue, resolve_name  # noqa: F401
from transforms.actors.addressees import PARAGRAPH_ACTOR_SCHEMA, paragraph_actors  # noqa: F401
from transforms.actors.mandates import MANDATE_SCHEMA, actors_and_mandates, mandates, report_sessions  # noqa: F401
from transforms.actors.sponsors import RESOLUTION_ACTOR_SCHEMA, resolution_actors  # noqa: F401

__all__ = [
    "ACTOR_TYPES", "ACTORS_CSV", "COLUMNS", "DIM_ACTOR_SCHEMA", "EXCLUSIONS_CSV", "MANDATE_SCHEMA",
    "PARAGRAPH_ACTOR_SCHEMA", "REFERENCE_DIR", "REPAIRS_CSV", "REQUIRED_COLUMNS", "RESOLUTION_ACTOR_SCHEMA",
    "STATE_TYPES", "UN_TYPES", "actors_and_mandates", "load_actors", "mandates", "name_key", "paragraph_actors",
    "report_sessions", "resolution_actors", "resolve_name",
]
