"""One resolution's XML walked into a ParsedResolution: header, cover, metadata, preamble,
operative part, annexes, footnotes and links."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from lxml import etree

from transforms.akn.names import _COMMITTEES, _split_items, report_of, split_states
from transforms.akn.numbering import number_blocks
from transforms.akn.xml import _LOCAL_NAMES, NS, _local, _q
from transforms.model import (
    Citation,
    Footnote,
    Paragraph,
    ParsedResolution,
    ParseError,
    SubParagraph,
)
from transforms.symbols import parse_date, parse_frbr_uri, parse_symbol, part_symbol, session_of, undocs_symbol
from transforms.text import clean_lead, guess_operative_lead, normalise


_HEADING_CLASSES = {"H1", "HCh", "H23", "H4", "H56", "HM", "TitleH"}
# Qualified names of the elements the walk looks for, built once: the walk asks for them
# hundreds of thousands of times a build.
_NOTE, _A, _P, _EOL, _BR = (_q(t) for t in ("authorialNote", "a", "p", "eol", "br"))
_NUM, _INTRO, _SUBHEADING = _q("num"), _q("intro"), _q("subheading")
_LISTS = (_q("list"), _q("blockList"), _q("sublist"))
_NOT_A_HEADING = (_q("num"), _q("list"), _q("blockList"), _q("table"))
_PRINTED_TEXT = etree.XPath(".//text()[not(ancestor::akn:authorialNote)]", namespaces={"akn": NS})
_SUBPARA_NUM = re.compile(r"^\((?:[a-z]{1,4}|[ivxlc]+|\d+)\)$")


@dataclass
class _Pending:
    notes: list  # (marker, text, location)
    citations: list  # (symbol, href, text, in_footnote)


class _Statement:
    def __init__(self, statement, collection, name: str):
        self.st = statement
        self.collection = collection  # documentCollection element or None
        self.name = name
        self.paragraphs: list[Paragraph] = []
        self.footnotes: list[Footnote] = []
        self.citations: list[Citation] = []
        self.counters = {"preambular": 0, "operative": 0, "annex": 0}
        # Notes and links found in headings or the title, waiting for the next paragraph.
        self.pending = _Pending([], [])
        self.heading: str | None = None
        # Whether to ask _style_marks at every styled element: only a subclass leaves marks
        # (render_layouts.py); the walk saves a call per element otherwise.
        self._marks = type(self)._style_marks is not _Statement._style_marks

    # -- metadata ----------------------------------------------------------------
    def _find(self, path: str, *roots):
        for r in roots:
            if r is None:
                continue
            hit = r.find(path)
            if hit is not None:
                return hit
        return None

    def parse(self) -> ParsedResolution:
        st, coll = self.st, self.collection
        meta = st.find(_q("meta"))
        cover = self._find(_q("coverPage"), st, coll)
        doc_number = cover.find(f".//{_q('docNumber')}") if cover is not None else None
        if doc_number is None or not (doc_number.text or "").strip():
            raise ParseError(f"{self.name}: no resolution symbol (coverPage/docNumber) in the document")
        base, label, _, parts = parse_symbol(doc_number.text)
        part = None
        if coll is not None:
            own = st.find(f"{_q('preface')}//{_q('docNumber')}")
            letter = normalise(own.text if own is not None else "").rstrip(".")
            if not re.fullmatch(r"[A-Z]", letter):
                raise ParseError(f"{self.name}: part of {base} without a part letter")
            part = letter
        elif len(parts) == 1:
            part = parts[0]
        elif len(parts) > 1:
            raise ParseError(f"{self.name}: {doc_number.text!r} names several parts but holds one statement")

        frbr_uri = None
        work = meta.find(f".//{_q('FRBRWork')}/{_q('FRBRuri')}") if meta is not None else None
        if work is not None:
            frbr_uri = work.get("value")
        frbr = parse_frbr_uri(frbr_uri or "")
        if frbr and (frbr["session_label"], frbr["number"]) != (label, int(base.rsplit("/", 1)[1])):
            raise ParseError(
                f"{self.name}: FRBR URI {frbr_uri!r} and docNumber {doc_number.text!r} name different resolutions"
            )
        lang_el = meta.find(f".//{_q('FRBRExpression')}/{_q('FRBRlanguage')}") if meta is not None else None
        language = lang_el.get("language") if lang_el is not None else "eng"
        pub = meta.find(f".//{_q('FRBRExpression')}/{_q('FRBRdate')}") if meta is not None else None

        adopted_on = self._adoption_date(frbr)
        res = ParsedResolution(
            symbol=part_symbol(base, part),
            base_symbol=base,
            part=part,
            session=session_of(label, adopted_on),
            session_label=label,
            adopted_on=adopted_on,
            title=self._title(),
            source_format="xml",
            language=language,
            frbr_uri=frbr_uri,
            published_on=parse_date(pub.get("date")) if pub is not None else None,
        )
        self._cover(res, cover)
        self._meta(res, meta if meta is not None and meta.find(_q("workflow")) is not None else self._coll_meta())
        res.plenary_meeting = self._meeting()
        self._body()
        res.paragraphs, res.footnotes, res.citations = self.paragraphs, self.footnotes, self.citations
        res.parse_notes = number_blocks(res.paragraphs)
        if not res.paragraphs:
            raise ParseError(f"{self.name}: {res.symbol} has no paragraphs")
        return res

    def _coll_meta(self):
        return self.collection.find(_q("meta")) if self.collection is not None else None

    def _adoption_date(self, frbr):
        concl = self.st.find(_q("conclusions"))
        if concl is not None:
            for d in concl.iter(_q("docDate")):
                if d.get("date"):
                    return parse_date(d.get("date"))
        return frbr["date"] if frbr else None

    def _meeting(self) -> str | None:
        concl = self.st.find(_q("conclusions"))
        if concl is None:
            return None
        for el in concl.iter(_q("location"), _q("inline")):
            if _local(el) == "location" or el.get("name") == "adoptionMeeting":
                return normalise("".join(el.itertext())) or None
        return None

    def _title(self) -> str:
        preface = self.st.find(_q("preface"))
        title_el = preface.find(f".//{_q('docTitle')}") if preface is not None else None
        if preface is not None:
            # A part's letter can carry a footnote ("B¹: resolution 74/232 ... becomes 74/232 A"),
            # outside docTitle: keep it (and its links) for the first paragraph.
            for note in preface.iter(_q("authorialNote")):
                if title_el is None or note not in set(title_el.iter(_q("authorialNote"))):
                    out: list[str] = []
                    self._collect(note, out, "title", None, in_note=True)
                    self._record_note(note.get("marker") or "", normalise(" ".join(out)), "title", None)
        if self.collection is not None:
            # A part's own title ("Information in the service of humanity") follows the
            # collection's ("Questions relating to information").
            coll_title = self.collection.find(f"{_q('preface')}//{_q('docTitle')}")
            own = self._inline_text(title_el, location="title") if title_el is not None else ""
            main = self._inline_text(coll_title, location="title") if coll_title is not None else ""
            return normalise(f"{main}: {own}" if main and own else main or own)
        if title_el is None:
            raise ParseError(f"{self.name}: no title (preface/docTitle)")
        return self._inline_text(title_el, location="title")

    def _cover(self, res: ParsedResolution, cover) -> None:
        if cover is None:
            return
        for inline in cover.iter(_q("inline")):
            name = inline.get("name")
            text = normalise("".join(inline.itertext()))
            if name == "agenda item":
                nums = inline.get("title") or re.sub(r"^Agenda items?\s*", "", text)
                res.agenda_items.extend(_split_items(nums))
            elif name == "agenda item name":
                res.agenda_item_names.append(text)
        prop = cover.find(f".//{_q('docProponent')}")
        if prop is not None:
            ref = (prop.get("refersTo") or "").lstrip("#")
            res.committee = _COMMITTEES.get(ref) or (ref or None)
            orig = prop.find(f".//{_q('inline')}[@name='originating document']")
            if orig is not None:
                o = normalise("".join(orig.itertext()))
                res.originating_document = o
                res.report_symbol, res.report_paragraph = report_of(o)

    def _meta(self, res: ParsedResolution, meta) -> None:
        if meta is None:
            return
        for step in meta.iter(_q("step")):
            outcome, by = step.get("outcome"), step.get("by") or ""
            if outcome == "draftResolution":
                res.draft_symbol = res.draft_symbol or (step.get("as") or None)
                res.sponsors.extend(split_states(by))
            elif outcome == "draftResolutionAdditionalSponsors":
                res.additional_sponsors.extend(split_states(by))
        voting = meta.find(f".//{_q('voting')}")
        if voting is not None:
            outcome = voting.get("outcome") or ""
            counts = {}
            for count in voting.iter(_q("count")):
                pos = count.get("refersTo", "").lstrip("#")
                if count.get("value", "").strip().isdigit():
                    counts[pos] = int(count.get("value"))
                res.voters[pos] = [_state_name(o.text) for o in count.iter(_q("organization")) if o.text]
            m = re.search(r"(\d+)-(\d+)-(\d+)", outcome)
            if outcome == "adoptedRecordedVote" or m or counts:
                res.vote_outcome = "recorded_vote"
                if m and not counts:
                    counts = dict(zip(("inFavour", "against", "abstaining"), map(int, m.groups())))
                if counts:
                    # The XML leaves out the count of a position no State took (74/24 has
                    # no "against"): a recorded vote with other counts means zero.
                    for pos in ("inFavour", "against", "abstaining"):
                        counts.setdefault(pos, 0)
            elif "without" in outcome.lower():
                res.vote_outcome = "without_vote"
            res.votes_in_favour = counts.get("inFavour")
            res.votes_against = counts.get("against")
            res.votes_abstaining = counts.get("abstaining")
        for kw in meta.iter(_q("keyword")):
            dictionary, value = kw.get("dictionary") or "", kw.get("value") or ""
            if dictionary == "SDGO":
                res.sdgs.append(value)
            elif value and kw.get("refersTo") != "agenda":
                res.keywords.append((dictionary, kw.get("showAs") or value))
        res.sdgs = list(dict.fromkeys(res.sdgs))
        res.keywords = list(dict.fromkeys(res.keywords))

    # -- body --------------------------------------------------------------------
    def _body(self) -> None:
        parts = [c for c in self.st if _local(c) in ("preamble", "mainBody")]
        for i, part in enumerate(parts):
            if _local(part) == "preamble":
                self._walk_preamble(part)
                continue
            # A sectioned resolution (80/243) is coded preamble, mainBody, preamble, mainBody ...,
            # one pair per section: every mainBody is its section's operative part. The exception
            # is a mainBody that interrupts one preamble (77/118), whose paragraphs are preambular.
            following = parts[i + 1] if i + 1 < len(parts) else None
            interrupts = following is not None and _local(following) == "preamble" and self._interrupts_preamble(part)
            self._walk_main(part, "preambular" if interrupts else "operative")
        for att in self.st.iter(_q("attachment")):
            for doc in att:
                if _local(doc) == "doc":
                    self.heading = None
                    mb = doc.find(_q("mainBody"))
                    if mb is not None:
                        self._walk_main(mb, "annex")
        if self.pending.notes or self.pending.citations:
            # A note in the last heading, with nothing under it: keep it on the last paragraph.
            if self.paragraphs:
                self._flush_pending(self.paragraphs[-1])

    def _interrupts_preamble(self, main) -> bool:
        """Whether a mainBody that a preamble follows only interrupts that preamble.

        A new section opens with a heading (the converter puts the heading of the next
        section, "II" and its title, at the end of the mainBody before its preamble: 80/243)
        and numbers its operative paragraphs (or has one, unnumbered, under its heading). A
        mainBody with neither a heading nor a printed number cannot open or close a section:
        the preamble before it goes on after it, and its paragraphs belong to that preamble
        (77/118: one paragraph, "Calling attention also ...", between two preambles).
        """
        for el in main.iter(_q("paragraph"), _q("crossHeading"), _q("subheading"), _q("heading")):
            if _local(el) != "paragraph":
                return False  # a heading or a section's preamble: section structure
            if self._is_heading(el):
                return False
            num_el = el.find(_q("num"))
            if num_el is not None and normalise(num_el.text or ""):
                return False
        return True

    def _walk_preamble(self, preamble) -> None:
        for el in preamble:
            tag = _local(el)
            if tag == "container":
                self._add("preambular", None, clean_lead(el.get("name")), el)
            elif tag == "blockList":
                self._add_subparagraphs_from_items(el)
            elif tag == "p" and normalise("".join(el.itertext())).strip("* "):
                self._add("preambular", None, None, el)

    def _walk_main(self, container, kind: str) -> None:
        for el in container:
            tag = _local(el)
            if tag == "paragraph":
                self._paragraph(el, kind)
            elif tag in ("section", "part", "subsection", "chapter", "title", "division"):
                self._heading_of(el)
                self._walk_main(el, kind)
            elif tag == "crossHeading":
                # Budget resolutions (78/253) give each section its own preamble, coded
                # as crossHeading refersTo="#preamble": these are preambular paragraphs.
                self._add("preambular", None, None, el)
            elif tag in ("subheading", "heading", "num"):
                self._set_heading(el)
            elif tag == "container":
                self._append_block(el, kind)
            elif tag == "p" and [_local(c) for c in el] == ["num"] and not normalise(el.text or ""):
                self._set_heading(el)
            elif tag in ("p", "blockList", "list", "table"):
                self._append_block(el, kind)

    def _heading_of(self, el) -> None:
        parts = [c for c in el if _local(c) in ("num", "heading", "subheading")]
        if parts:
            self.heading = normalise(" ".join(self._inline_text(p, "heading") for p in parts)) or self.heading

    def _set_heading(self, el) -> None:
        text = self._inline_text(el, "heading")
        if text:
            self.heading = text

    def _is_heading(self, el) -> bool:
        if el.get("class") in _HEADING_CLASSES:
            return True
        for c in el:
            if _local(c) in ("content", "list", "intro", "p"):
                break
        else:
            return True
        # In an annex too: the bold "Annex" line and the annex's title are its heading, as the
        # attachment's docType and docTitle are where DGACM codes them so (74/4), and as the text
        # parser reads them (textparse.assemble._Assembler._body).
        return _all_bold(el)

    def _paragraph(self, el, kind: str) -> None:
        num_el = next(el.iterchildren(_NUM), None)
        num = normalise(num_el.text or "") if num_el is not None else ""
        if self._is_heading(el):
            parts = [c for c in el if _local(c) in ("num", "heading", "subheading", "content", "p")]
            self.heading = normalise(" ".join(self._inline_text(p, "heading") for p in parts)) or self.heading
            return
        # Word numbers a copied style ("FootnoteText0", the table note of 80/243 section XII).
        if (el.get("class") or "").startswith("FootnoteText"):
            self._append_block(el, kind)
            return
        # A subheading inside a text paragraph (79/298) heads that paragraph.
        for sh in el.iterchildren(_SUBHEADING):
            self._set_heading(sh)
        if _SUBPARA_NUM.match(num) and self.paragraphs and self.paragraphs[-1].kind == kind:
            prev = self.paragraphs[-1]
            body = self._content_text(el, prev)
            self._push_sub(prev, SubParagraph(num, body))
            for sub in self._points(el, prev, depth=2):
                self._push_sub(prev, sub)
            return
        number = num.rstrip(".") or None
        self._add(kind, number, None, el)

    def _add(self, kind: str, number: str | None, lead: str | None, el, block: bool = False) -> Paragraph | None:
        self.counters[kind] += 1
        para = Paragraph(kind=kind, ordinal=self.counters[kind], number=number, lead_phrase=lead, text="",
                         heading=self.heading)
        self.paragraphs.append(para)
        saved = self.pending
        self._flush_pending(para)
        body = self._block_text(el, para) if block else self._content_text(el, para)
        if para.lead_phrase is None:
            para.lead_phrase = self._italic_lead(el, body) if kind != "annex" else None
            if para.lead_phrase is None and kind == "operative":
                para.lead_phrase = guess_operative_lead(body)
        para.text = body
        for sub in self._points(el, para, depth=1):
            self._push_sub(para, sub)
        if not para.text:
            # Layout residue (an empty table cell block, a bare rule): not a paragraph.
            if para.footnote_markers or any(c.paragraph_ordinal == para.ordinal and c.paragraph_kind == kind
                                            for c in self.citations):
                raise ParseError(f"{self.name}: {kind} paragraph {para.ordinal} has notes but no text")
            self.paragraphs.pop()
            self.counters[kind] -= 1
            self.pending = saved
            return None
        return para

    def _push_sub(self, para: Paragraph, sub: SubParagraph) -> None:
        if not sub.text:
            return
        para.subparagraphs.append(sub)
        line = f"{sub.label} {sub.text}" if sub.label else sub.text
        para.text = f"{para.text}\n{line}" if para.text else line

    def _content_text(self, el, para: Paragraph) -> str:
        """Text of the paragraph itself: content, or a list's intro, never its points."""
        pieces = []
        has_body = False
        for c in el:
            tag = _local(c)
            if tag in ("content", "p", "intro"):
                has_body = True
                pieces.append(self._inline_text(c, "paragraph", para))
            elif tag in ("list", "blockList"):
                has_body = True
                intro = next(c.iterchildren(_INTRO), None)
                if intro is None:
                    intro = c.find(_q("listIntroduction"))
                if intro is not None:
                    pieces.append(self._inline_text(intro, "paragraph", para))
        if not has_body:
            return self._inline_text(el, "paragraph", para)
        if len(pieces) == 1:  # most paragraphs: one content, already normalised (normalise is idempotent)
            return pieces[0]
        return normalise(" ".join(pieces))

    def _points(self, el, para: Paragraph, depth: int):
        for lst in el.iter(*_LISTS):
            if lst.getparent() is not el and _local(lst.getparent()) not in ("content",):
                continue
            yield from self._list_items(lst, para, depth)

    def _list_items(self, lst, para: Paragraph, depth: int, nested: bool = False):
        for item in lst:
            kind = _local(item)
            if kind in ("sublist", "list", "blockList"):
                # A sublist standing between points (75/325: (a), then (i) (ii), then (b))
                # holds the sub-points of the point before it.
                yield from self._list_items(item, para, depth + 1, nested=True)
                continue
            if kind in ("intro", "listIntroduction") and nested:
                yield SubParagraph(None, self._inline_text(item, "paragraph", para), depth)
                continue
            if kind not in ("point", "item"):
                continue
            num_el = item.find(_q("num"))
            label = normalise(num_el.text or "") if num_el is not None else None
            pieces = []
            nested = []
            for c in item:
                tag = _local(c)
                if tag in ("content", "p", "intro"):
                    pieces.append(self._inline_text(c, "paragraph", para))
                elif tag in ("list", "sublist", "blockList"):
                    intro = c.find(_q("intro"))
                    if intro is not None:
                        pieces.append(self._inline_text(intro, "paragraph", para))
                    nested.append(c)
            yield SubParagraph(label or None, normalise(" ".join(pieces)), depth)
            for n in nested:
                yield from self._list_items(n, para, depth + 1)

    def _add_subparagraphs_from_items(self, block) -> None:
        if not self.paragraphs:
            self._add("preambular", None, None, block)
            return
        para = self.paragraphs[-1]
        for sub in self._list_items(block, para, 1):
            self._push_sub(para, sub)

    def _append_block(self, el, kind: str) -> None:
        """Tables and table notes print under the paragraph that introduces them."""
        if not self.paragraphs or self.paragraphs[-1].kind != kind:
            self._add(kind, None, None, el, block=True)
            return
        para = self.paragraphs[-1]
        text = self._block_text(el, para)
        if text:
            self._push_sub(para, SubParagraph(None, text, 1))

    def _block_text(self, el, para: Paragraph) -> str:
        rows = list(el.iter(_q("tr")))
        if not rows:
            return self._inline_text(el, "paragraph", para)
        lines = []
        for tr in rows:
            cells = [self._inline_text(td, "paragraph", para) for td in tr if _local(td) in ("td", "th")]
            if any(cells):
                lines.append(" | ".join(cells))
        return "\n".join(lines)

    def _italic_lead(self, el, body: str) -> str | None:
        """The italicised phrase that opens the paragraph ("Calls upon", "Reaffirming also")."""
        first_p = next(el.iter(_P), el)
        lead_text = first_p.text
        # Whitespace (the tab before the italic verb, most paragraphs) normalises to nothing.
        if lead_text and not lead_text.isspace() and normalise(lead_text):
            return None
        for span in first_p:
            if _local(span) == "span" and "italic" in (span.get("class") or ""):
                lead = clean_lead("".join(span.itertext()))
                if lead and body.startswith(lead):
                    return lead
                return None
            if normalise("".join(span.itertext())) or normalise(span.tail or ""):
                return None
        return None

    def _flush_pending(self, para: Paragraph) -> None:
        for marker, text, location in self.pending.notes:
            self.footnotes.append(Footnote(marker, text, para.kind, para.ordinal, location))
            para.footnote_markers.append(marker)
        for symbol, href, text, in_fn in self.pending.citations:
            self.citations.append(Citation(para.kind, para.ordinal, symbol, href, text, in_fn))
        self.pending = _Pending([], [])

    def _inline_text(self, el, location: str, para: Paragraph | None = None) -> str:
        """Text of an element with footnotes taken out and links recorded.

        Notes and links met outside a paragraph (title, heading) wait in
        ``self.pending`` for the paragraph they annotate.
        """
        out: list[str] = []
        self._collect(el, out, location, para, in_note=False)
        return normalise("".join(out))

    # What the walk leaves in the text where a footnote marker or a styled span stands: nothing.
    # tests/fixtures/render_layouts.py overrides both to leave sentinels there.
    def _note_mark(self, marker: str) -> str:
        return ""

    def _style_marks(self, el) -> tuple[str, str]:
        return "", ""

    def _collect(self, el, out: list[str], location: str, para: Paragraph | None, in_note: bool) -> None:
        if el.text:
            out.append(el.text)
        for c in el:
            tag = _LOCAL_NAMES.get(c.tag) or _local(c)  # _local's own lookup, without the call
            if tag == "authorialNote":
                if not in_note:
                    mark = self._note_mark(c.get("marker") or "")
                    if mark:
                        out.append(mark)
                    note_out: list[str] = []
                    self._collect(c, note_out, location, para, in_note=True)
                    self._record_note(c.get("marker") or "", normalise(" ".join(note_out)), location, para)
                else:
                    self._collect(c, out, location, para, in_note=True)
            elif tag in ("eol", "br"):
                out.append(" ")
            elif tag == "p":
                out.append(" ")
                self._collect(c, out, location, para, in_note)
                out.append(" ")
            elif tag:
                if tag == "a":
                    self._record_link(c, location, para, in_note)
                if self._marks:
                    on, off = self._style_marks(c)
                    if on:
                        out.append(on)
                    self._collect(c, out, location, para, in_note)
                    if off:
                        out.append(off)
                elif len(c):
                    self._collect(c, out, location, para, in_note)
                elif c.text:  # a leaf (most styled spans): its text is all the walk would add
                    out.append(c.text)
            if c.tail:
                out.append(c.tail)

    def _record_note(self, marker: str, text: str, location: str, para: Paragraph | None) -> None:
        marker = normalise(marker)
        if para is not None and location == "paragraph":
            self.footnotes.append(Footnote(marker, text, para.kind, para.ordinal, "paragraph"))
            para.footnote_markers.append(marker)
        else:
            self.pending.notes.append((marker, text, location))

    def _record_link(self, a, location: str, para: Paragraph | None, in_note: bool) -> None:
        href = a.get("href")
        symbol = undocs_symbol(href or "")
        if symbol is None:
            return
        text = normalise("".join(a.itertext()))
        if para is not None and location == "paragraph":
            self.citations.append(Citation(para.kind, para.ordinal, symbol, href, text, in_note))
        else:
            self.pending.citations.append((symbol, href, text, in_note))


@functools.lru_cache(maxsize=1024)  # the ~193 Member States' names, voting in every recorded vote
def _state_name(text: str) -> str:
    return normalise(text)


def _all_bold(el) -> bool:
    """An unnumbered paragraph of plain content whose every printed word is bold: a heading.

    DGACM's converter codes some headings with a heading class (H1, H23) and others, in
    MercuryDocument files, as plain paragraphs whose text is one bold span ("I", then the
    section's title: 76/147, 78/245, 79/144, 80/243). UN resolutions set headings in bold and
    never a paragraph of their text wholly in bold, so bold throughout is the heading's mark.
    A numbered paragraph, or one holding a list or a table, is a paragraph whatever its type
    face; so is a bold line that ends with a colon: it introduces the text after it rather
    than naming it (bold "We commit to taking the following actions:" lines in 79/233's annex).
    """
    if next(el.iterdescendants(_NOT_A_HEADING), None) is not None:
        return False
    nodes = _PRINTED_TEXT(el)
    text = normalise("".join(nodes))
    if text.endswith(":"):
        return False
    seen = False
    for node in nodes:
        if not node.strip():
            continue
        seen = True
        holder = node.getparent()
        if node.is_tail:
            holder = holder.getparent()  # the tail of an element is its parent's text
        bold = False
        while holder is not None and holder is not el:
            if _local(holder) == "span" and "bold" in (holder.get("class") or "").split():
                bold = True
                break
            holder = holder.getparent()
        if not bold:
            return False
    return seen
