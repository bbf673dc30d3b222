"""Instruments and documents that resolution paragraphs cite, found in their text.

Two kinds of thing are cited:

* **documents with a symbol**: resolutions of the General Assembly, the Economic and
  Social Council, the Security Council, the Human Rights Council, the Commission on
  Crime Prevention and Criminal Justice (CCPCJ), the Commission on Narcotic Drugs (CND)
  and the Conferences of the Parties to the Organized Crime and Corruption Conventions,
  and documents ("A/78/264", "A/CONF.234/16"). :func:`cited_documents` finds them with
  regular expressions and normalises their identifier ("resolutions 69/193 and 69/196 of
  18 December 2014" is A/RES/69/193 and A/RES/69/196, both dated 2014-12-18).
* **named instruments** (conventions, protocols, rules, declarations, programmes of action,
  agendas) from the registry ``transforms/reference/instruments.yaml``:
  :func:`named_instruments` finds their names and aliases (Aho-Corasick, longest match
  first, on word boundaries), the footnotes that cite them in the United Nations Treaty
  Series ("United Nations, Treaty Series, vol. 2225, No. 39574"; "Ibid., vol. 976,
  No. 14152" resolved through the footnotes before it), and the footnotes that cite their
  adopting resolution ("Resolution 70/175, annex").

:func:`paragraph_instruments` puts both together as a dimension and a paragraph bridge, with
the relation the paragraph states (recalls, reaffirms, urges ratification...).

Everything is vectorised with Polars: regexes run through ``str.replace_all``/``str.split``
(which gives every match *and* its character offset), registry names through one Aho-Corasick
pass (:func:`transforms.automaton.leftmost_matches`). No Python loop runs over paragraphs or
patterns; the issuer words before a citation are classified once per distinct word.

Who issued a "resolution N/M" is read from the words before it in the same sentence (see
``_ISSUERS``); a number the issuer cannot have issued (CCPCJ has held 34 sessions) is not
given to it. An unattributed "resolution N/M" with 31 <= N <= 99 is the General Assembly's
(before its thirty-first session the Assembly numbered resolutions "1514 (XV)").

Modules, by concern: ``registry`` (:func:`load_registry`, the validated instruments.yaml),
``matching`` (the vectorised matching every finder uses: regex spans with their offsets,
leftmost-longest literal matches, the CITED_SCHEMA frame), ``documents``
(:func:`cited_documents`: resolutions and documents with a symbol, and who issued them),
``named`` (:func:`named_instruments`, :func:`treaty_series_references`), ``relations``
(:func:`relation`) and ``bridge`` (:func:`paragraph_instruments`: the dimension and the
paragraph bridge). Every public name is importable from ``transforms.instruments``.
"""

from transforms.instruments.registry import REGISTRY, REGISTRY_SCHEMA, load_registry  # noqa: F401
from transforms.instruments.matching import CITED_SCHEMA, TEXT_COLUMNS  # noqa: F401
from transforms.instruments.documents import DOCUMENT_TYPES, cited_documents  # noqa: F401
from transforms.instruments.named import TREATY_SERIES_SCHEMA, named_instruments, treaty_series_references  # noqa: F401
from transforms.instruments.relations import RELATIONS, relation  # noqa: F401
from transforms.instruments.bridge import BRIDGE_SCHEMA, DIM_SCHEMA, paragraph_instruments  # noqa: F401
from transforms.reference_models import INSTRUMENT_TYPES  # noqa: F401  (part of this package's API)

__all__ = [
    "BRIDGE_SCHEMA", "CITED_SCHEMA", "DIM_SCHEMA", "DOCUMENT_TYPES", "INSTRUMENT_TYPES", "REGISTRY",
    "REGISTRY_SCHEMA", "RELATIONS", "TEXT_COLUMNS", "TREATY_SERIES_SCHEMA", "cited_documents", "load_registry",
    "named_instruments", "paragraph_instruments", "relation", "treaty_series_references",
]
