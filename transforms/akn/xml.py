"""The AKN namespace, the XML parser's settings, and element names."""

from __future__ import annotations

from lxml import etree



NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
AKN4UN = "http://un.org/akn4un"


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True)


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _local(el) -> str:
    """The element's name without its namespace ("" for a comment or processing instruction).

    Called a quarter of a million times a build on a few dozen distinct tags, so the names
    are remembered per tag: a dict lookup instead of a search and a slice each time.
    """
    tag = el.tag
    name = _LOCAL_NAMES.get(tag)
    if name is not None:
        return name
    if not isinstance(tag, str):  # comments have a function as tag
        return ""
    name = tag[tag.rfind("}") + 1:]
    if len(_LOCAL_NAMES) < _MAX_NAMES:
        _LOCAL_NAMES[tag] = name
    return name


# Tag -> local name. AKN has a few hundred element names; the cap only keeps a file that
# brings a stray vocabulary of its own from growing the table without bound.
_LOCAL_NAMES: dict[str, str] = {}
_MAX_NAMES = 4096
