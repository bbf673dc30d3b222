"""The pydantic models of the reference YAML files (transforms/reference_models.py).

A copy of the real file with one entry broken must be refused with a message that names
the file, the entry and the field; the real files must load as before.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from transforms.instruments import REGISTRY, load_registry
from transforms.themes import TAXONOMY, load_taxonomy, read_taxonomy


def _copy_with(tmp_path: Path, source: Path, mutate) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / source.name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _theme(data: dict, code: str) -> dict:
    return next(t for t in data["themes"] if t["code"] == code)


def _instrument(data: dict, iid: str) -> tuple[int, dict]:
    return next((i, e) for i, e in enumerate(data["instruments"], start=1) if e["instrument_id"] == iid)


def test_an_unbroken_copy_loads_as_the_original(tmp_path):
    for source, load in ((TAXONOMY, load_taxonomy), (REGISTRY, load_registry)):
        copy = tmp_path / source.name
        shutil.copy(source, copy)
        assert load(copy).equals(load(source))


@pytest.mark.parametrize("field, value, message", [
    ("source", None, "'source' must be a non-empty string"),
    ("label", "   ", "'label' must be a non-empty string"),
    ("iccs", [11012], "'iccs': [11012]: each must be a quoted ICCS code"),
    ("sdg_targets", "16.4", "'sdg_targets' must be a list"),
    ("patterns", ["piracy", "PIRACY"], "'patterns': 'PIRACY' is listed twice"),
    ("parent", 7, "'parent' must be a theme code or null"),
])
def test_a_broken_theme_is_named_with_its_file_and_field(tmp_path, field, value, message):
    def mutate(d):
        if value is None:
            _theme(d, "piracy").pop(field)
        else:
            _theme(d, "piracy")[field] = value
    path = _copy_with(tmp_path, TAXONOMY, mutate)
    with pytest.raises(ValueError) as err:
        read_taxonomy(path)
    text = str(err.value)
    assert text.startswith(f"theme taxonomy {path}: ")
    assert f"theme 'piracy': {message}" in text
    assert text.count("theme '") == 1, text  # only the broken entry is named


def test_a_theme_without_a_valid_code_is_named_by_its_place(tmp_path):
    def mutate(d):
        d["themes"][2]["code"] = "Not Snake"
    path = _copy_with(tmp_path, TAXONOMY, mutate)
    with pytest.raises(ValueError, match=r"theme #3: 'code' must be snake_case, got 'Not Snake'"):
        read_taxonomy(path)


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.update(version=1.0), "'version' must be a non-empty string"),  # YAML's 1.0 is a number
    (lambda d: d["crime_cues"].update(window=-5), "crime_cues.window must be a non-negative whole number"),
    (lambda d: d["crime_cues"].update(window=True), "crime_cues.window must be a non-negative whole number"),
    (lambda d: d["crime_cues"].update(phrases=[]), "crime_cues.phrases must be a non-empty list of phrases"),
])
def test_the_top_level_of_the_taxonomy_is_strict(tmp_path, mutate, message):
    path = _copy_with(tmp_path, TAXONOMY, mutate)
    with pytest.raises(ValueError, match=message) as err:
        read_taxonomy(path)
    assert str(path) in str(err.value)


@pytest.mark.parametrize("iid, change, message", [
    ("untoc", {"year": True}, "year must be a year, got True"),
    ("untoc", {"year": "2000"}, "year must be a year, got '2000'"),
    ("untoc", {"source": " "}, "source is missing"),
    ("untoc", {"type": "treaty"}, "type 'treaty' is not one of convention"),
    ("untoc", {"aliases": ["Palermo Convention", ""]}, "aliases must be a list of non-empty strings"),
    ("untoc", {"treaty_series": ["2225 UNTS 209"]}, "treaty_series '2225 UNTS 209' is not written 'vol. V, No. N'"),
    ("untoc", {"signed_on": "2000-12-12"}, "unknown field 'signed_on'"),
    ("untoc", {"parent": ["unodc"]}, "parent must be an instrument_id"),
])
def test_a_broken_instrument_is_named_with_its_file_entry_and_field(tmp_path, iid, change, message):
    n = None

    def mutate(d):
        nonlocal n
        n, entry = _instrument(d, iid)
        entry.update(change)
    path = _copy_with(tmp_path, REGISTRY, mutate)
    with pytest.raises(ValueError) as err:
        load_registry(path)
    text = str(err.value)
    assert text.startswith(f"instrument registry {path} is invalid:")
    assert f"- entry {n} ({iid}): {message}" in text, text
    assert text.count("\n  - ") == 1, text  # one problem, in the broken entry


def test_every_broken_entry_is_named_at_once(tmp_path):
    def mutate(d):
        _instrument(d, "untoc")[1]["year"] = 99
        _instrument(d, "uncac")[1].pop("name")
    path = _copy_with(tmp_path, REGISTRY, mutate)
    with pytest.raises(ValueError) as err:
        load_registry(path)
    text = str(err.value)
    assert "(untoc): year must be a year, got 99" in text and "(uncac): name is missing" in text
