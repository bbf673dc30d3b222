"""Pydantic models of the reference YAML files: the theme taxonomy and the instrument registry.

``transforms/reference/themes.yaml`` is read by :func:`transforms.themes.read_taxonomy` and
``transforms/reference/instruments.yaml`` by :func:`transforms.instruments.load_registry`;
both validate the parsed YAML with the models here (strict: YAML's ``1.0`` is not the
string ``"1.0"``, ``true`` is not a year) and refuse the file with one ValueError naming
every problem: the file, the entry ("theme 'piracy'", "entry 3 (untoc)") and the field.

A model validates one entry; what spans entries (duplicate codes, parents, cycles, an alias
claimed by two instruments) is checked by the readers, on every entry, so that one broken
entry does not hide the problems of the others.

Each field has one message saying what it must be (``messages`` of :func:`problems`); the
validators of the fields that need more (a phrase list, a Treaty Series reference) raise
their own, several at once when a list has several bad items.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_ICCS = re.compile(r"^\d{2,6}$")
_SDG = re.compile(r"^\d{1,2}\.(?:\d{1,2}|[a-z])$")
_NON_WORD = re.compile(r"[^A-Za-z0-9]")
TREATY_SERIES = re.compile(r"^vol\. (\d+), No\. (\d+)$")

INSTRUMENT_TYPES = ("convention", "protocol", "standard", "declaration", "programme_of_action", "agenda")


# -- errors ---------------------------------------------------------------------------------
def _fail(*problems: str) -> PydanticCustomError:
    """An error carrying one or more finished messages (see :func:`problems`)."""
    return PydanticCustomError("reference", "{problems}", {"problems": list(problems)})


def problems(exc: ValidationError, where: str, messages: dict[str, str | dict[str, str]]) -> list[str]:
    """The errors of one validation as readable problems, each prefixed with ``where``.

    ``messages`` maps a field (a dotted path for a nested model) to its message, or to a
    mapping of pydantic error types to messages with a ``"default"``; ``{input!r}`` in a
    message is the value found (None when the field is missing). Errors raised by the
    validators here carry their own messages; an unknown field is "unknown field 'x'".
    """
    out = []
    prefix = f"{where}: " if where else ""
    for err in exc.errors():
        if err["type"] == "reference":
            out.extend(prefix + p for p in err["ctx"]["problems"])
            continue
        loc = ".".join(str(part) for part in err["loc"] if not isinstance(part, int))
        if err["type"] == "extra_forbidden":
            out.append(f"{prefix}unknown field {loc!r}")
            continue
        message = messages.get(loc) or messages.get(loc.split(".")[0])
        if isinstance(message, dict):
            message = message.get(err["type"], message["default"])
        value = None if err["type"] == "missing" else err.get("input")
        out.append(prefix + (message.format(input=value) if message else f"{loc!r}: {err['msg']}"))
    return list(dict.fromkeys(out))  # two bad items of one list give its message once


# -- shared field types ----------------------------------------------------------------------
def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("blank")
    return value


NonBlank = Annotated[str, AfterValidator(_non_blank)]


def phrase_key(phrase: str) -> str:
    """The folded, padded form of a phrase that the automaton looks for.

    " illegal logging " for a whole phrase, " poach" for the stem "poach*". Raises
    ValueError for a phrase with no letter or digit or with a "*" anywhere but at the end.
    """
    stem = phrase.endswith("*")
    body = phrase[:-1] if stem else phrase
    if "*" in body:
        raise ValueError(f"'*' may only end a phrase: {phrase!r}")
    folded = _NON_WORD.sub(" ", body).strip().lower()
    if not folded:
        raise ValueError(f"phrase has no letter or digit: {phrase!r}")
    return " " + folded + ("" if stem else " ")


def _phrases(where: str, allow_empty: bool):
    """A validator of a list of phrases (``where`` names it in the messages)."""

    def check(value: Any) -> tuple[str, ...]:
        if value is None and allow_empty:
            return ()
        if not isinstance(value, list) or (not value and not allow_empty):
            raise _fail(f"{where} must be a {'' if allow_empty else 'non-empty '}list of phrases")
        out, keys, found = [], set(), []
        for p in value:
            if not isinstance(p, str) or not p.strip():
                found.append(f"{where}: {p!r} is not a phrase")
                continue
            try:
                key = phrase_key(p)
            except ValueError as exc:
                found.append(f"{where}: {exc}")
                continue
            if key in keys:
                found.append(f"{where}: {p!r} is listed twice (phrases compare case- and punctuation-blind)")
            keys.add(key)
            out.append(p)
        if found:
            raise _fail(*found)
        return tuple(out)

    return BeforeValidator(check)


def _codes(where: str, pattern: re.Pattern, what: str):
    """A validator of a list of quoted codes (ICCS, SDG targets)."""

    def check(value: list[Any]) -> tuple[str, ...]:
        bad = [v for v in value if not isinstance(v, str) or not pattern.match(v)]
        if bad:
            raise _fail(f"{where}: {bad!r}: each must be {what}")
        return tuple(value)

    return AfterValidator(check)


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True)


# -- the theme taxonomy (themes.yaml) ---------------------------------------------------------
class CrimeCuesModel(_Strict):
    window: int = Field(ge=0)
    phrases: Annotated[tuple[str, ...], _phrases("crime_cues.phrases", allow_empty=False)]
    exclude: Annotated[tuple[str, ...], _phrases("crime_cues.exclude", allow_empty=True)] = ()


class TaxonomyModel(_Strict):
    """The top level of themes.yaml; the themes are validated one by one (:class:`ThemeModel`)."""

    version: NonBlank
    exclude: Annotated[tuple[str, ...], _phrases("top-level 'exclude'", allow_empty=True)] = ()
    crime_cues: CrimeCuesModel
    themes: list[Any] = Field(min_length=1)


TAXONOMY_MESSAGES: dict[str, str | dict[str, str]] = {
    "version": "'version' must be a non-empty string (quote it: version: \"1.0.0\")",
    "crime_cues": "'crime_cues' must be a mapping with 'window' and 'phrases'",
    "crime_cues.window": "crime_cues.window must be a non-negative whole number of characters",
    "crime_cues.phrases": "crime_cues.phrases must be a non-empty list of phrases",
    "themes": "'themes' must be a non-empty list",
}


class ThemeModel(_Strict):
    """One theme of themes.yaml (fields not named here are ignored)."""

    code: Annotated[str, Field(pattern=SNAKE_CASE.pattern)]
    label: NonBlank
    parent: str | None = None
    iccs: Annotated[list[Any], _codes("'iccs'", _ICCS, "a quoted ICCS code such as \"10\" or \"1003\"")]
    sdg_targets: Annotated[list[Any], _codes("'sdg_targets'", _SDG,
                                             "a quoted SDG target such as \"15.7\" or \"15.c\"")]
    description: NonBlank
    source: NonBlank
    patterns: Annotated[tuple[str, ...], _phrases("'patterns'", allow_empty=False)]
    context_patterns: Annotated[tuple[str, ...], _phrases("'context_patterns'", allow_empty=True)] = ()
    exclude: Annotated[tuple[str, ...], _phrases("'exclude'", allow_empty=True)]


THEME_MESSAGES: dict[str, str | dict[str, str]] = {
    "code": "'code' must be snake_case, got {input!r}",
    "label": "'label' must be a non-empty string",
    "description": "'description' must be a non-empty string",
    "source": "'source' must be a non-empty string (every theme must say where it comes from)",
    "parent": "'parent' must be a theme code or null",
    "iccs": "'iccs' must be a list (use [] when none applies)",
    "sdg_targets": "'sdg_targets' must be a list (use [] when none applies)",
    "patterns": "'patterns' must be a non-empty list of phrases",
    "exclude": {"missing": "'exclude' is missing (use [] when nothing is excluded)",
                "default": "'exclude' must be a list of phrases"},
}


# -- the instrument registry (instruments.yaml) ----------------------------------------------
def _string_list(value: Any) -> Any:
    """Nothing is no items, one string is one item; the rest is for the list type to judge."""
    value = value or []  # as the hand-written check read it: a blank value is no items
    return [value] if isinstance(value, str) else value


StringList = Annotated[list[NonBlank], BeforeValidator(_string_list)]


def _treaty_series(value: list[str]) -> list[str]:
    bad = [f"treaty_series {ts!r} is not written 'vol. V, No. N'" for ts in value if not TREATY_SERIES.match(ts)]
    if bad:
        raise _fail(*bad)
    return value


class InstrumentModel(_Strict):
    """One instrument of instruments.yaml; a field not named here is refused."""

    model_config = ConfigDict(extra="forbid")

    instrument_id: Annotated[str, Field(pattern=SNAKE_CASE.pattern)]
    name: NonBlank
    type: Literal[INSTRUMENT_TYPES]  # type: ignore[valid-type]
    year: Annotated[int, Field(ge=1800, le=2100)] | None = None
    aliases: StringList = []
    treaty_series: Annotated[StringList, AfterValidator(_treaty_series)] = []
    footnote_refs: StringList = []
    parent: str | None = None
    adopted_by: Any = None  # kept when a string (the adopting body), else null
    source: NonBlank


INSTRUMENT_MESSAGES: dict[str, str | dict[str, str]] = {
    "instrument_id": "instrument_id must be snake_case, got {input!r}",
    "name": "name is missing",
    "type": f"type {{input!r}} is not one of {', '.join(INSTRUMENT_TYPES)}",
    "year": "year must be a year, got {input!r}",
    "source": "source is missing",
    "aliases": "aliases must be a list of non-empty strings",
    "treaty_series": "treaty_series must be a list of non-empty strings",
    "footnote_refs": "footnote_refs must be a list of non-empty strings",
    "parent": "parent must be an instrument_id",
}
