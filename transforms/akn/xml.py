"""The AKN namespace, the XML parser's settings, and element names."""

from __future__ import annotations

from lxml import etree



NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
AKN4UN = "http://un.org/akn4un"


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True)


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _local(el) -> str:
    tag = el.tag
    return tag[tag.rfind("}") + 1:] if isinstance(tag, str) else ""  # comments have a function as tag
