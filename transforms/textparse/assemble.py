"""The assembler: paragraphs, sub-paragraphs, footnotes, citations and the header, from a layout's blocks.

Where the layouts' shared difficulty lies: a paragraph interrupted by a page break or a
footnote block must be joined again, and only a real paragraph opening (a lead phrase, a
number, a sub-paragraph label) may start a new one.
"""

from __future__ import annotations

import datetime as dt
import re

from transforms.akn.names import committee_named, report_of
from transforms.lexicon import lead_phrase
from transforms.model import Citation, Footnote, Paragraph, ParsedResolution, ParseError, SubParagraph
from transforms.symbols import parse_date, session_of
from transforms.text import normalise
from transforms.textparse.citations import citations_in_text, symbol_from_anchor
from transforms.textparse.tokens import HEAD, ITALIC_CLOSE, ITALIC_OPEN, LINK_CLOSE, LINK_OPEN, MARK, PAGE
from transforms.textparse.tokens import _OPERATIVE_START, _SUB_LABEL, _Extracted, _strip_tokens, hyphenated_words


_CLOSING = re.compile(r"^(\d+)(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?plenary meeting\b", re.IGNORECASE)
_DATE = re.compile(r"\b(\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|"
                   r"November|December)\s+\d{4})\b")
_ROMAN = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv"}
_TERMINAL = (",", ";", ":", ".")


def _ends_sentence(raw: str) -> bool:
    """Whether a piece of text ends with the punctuation that ends a paragraph or a list item."""
    plain = normalise(_strip_tokens(raw)).rstrip("”’\")] ")
    return plain.endswith(_TERMINAL)


def _clean_note(text: str) -> str:
    text = re.sub(r"\[([^\]\n]+)\]\([^)\s]*\)", r"\1", text)
    text = text.replace("**", "")
    text = re.sub(r"(?<![\w*])[_*]([^_*\n]+?)[_*](?![\w*])", r"\1", text)
    return normalise(text.replace("*", ""))


# -- assembly ------------------------------------------------------------------------
class _Assembler:
    def __init__(self, extracted: _Extracted, name: str, layout: str):
        self.x = extracted
        self.name = name
        self.layout = layout
        self.paragraphs: list[Paragraph] = []
        self.footnotes: list[Footnote] = []
        self.citations: list[Citation] = []
        self.counters = {"preambular": 0, "operative": 0, "annex": 0}
        self.kind = "preambular"
        self.plenary_meeting: str | None = None
        self.closing_date: dt.date | None = None
        self.closed = False
        self.heading_markers: list[str] = []  # markers of a heading, for the paragraph under it

    def build(self) -> ParsedResolution:
        head = self._header()
        self._body()
        if not self.paragraphs:
            raise ParseError(f"{self.name}: no paragraphs after \"The General Assembly,\"")
        adopted = head["adopted_on"] or self.closing_date
        res = ParsedResolution(
            symbol=head["symbol"],
            base_symbol=head["symbol"],
            part=None,
            session=session_of(head["label"], adopted),
            session_label=head["label"],
            adopted_on=adopted,
            title=head["title"],
            source_format="text",
            agenda_items=head["agenda_items"],
            agenda_item_names=head["agenda_item_names"],
            committee=head["committee"],
            originating_document=head["originating"],
            report_symbol=head["report"][0],
            report_paragraph=head["report"][1],
            plenary_meeting=self.plenary_meeting,
        )
        res.paragraphs, res.footnotes, res.citations = self.paragraphs, self.footnotes, self.citations
        for m in head["title_markers"]:
            self._attach_note(m, self.paragraphs[0], "title")
        self.footnotes.sort(key=lambda f: _marker_key(f.marker))
        return res

    # header
    def _header(self) -> dict:
        raw = self.x.header
        title_markers = re.findall(f"{MARK}([^{MARK}]*){MARK}", raw)
        h = normalise(_strip_tokens(raw))
        m = re.search(r"(?:^|\s)(?:A/RES/)?((?:E?S-)?\d{1,3})/(\d{1,4})\.\s+(.+?)\s*$", h)
        if not m:
            raise ParseError(f"{self.name}: no resolution number and title (\"78/229. Title\") in the header")
        label, number, title = m.group(1), m.group(2), m.group(3)
        symbol = f"A/RES/{label}/{number}"
        adopted = None
        d = re.search(r"Resolutions? adopted by the General Assembly\s+on\s+(\d{1,2}\s+\w+\s+\d{4})", h)
        if d:
            adopted = parse_date(d.group(1))
        committee = originating = None
        p = re.search(r"\[((?:on the report of|without reference to).+?)\]", h)
        if p:
            inner = p.group(1)
            cut = inner.rfind(" (")
            originating = inner[cut + 2:].rstrip(")") if cut >= 0 else None
            who = inner[:cut] if cut >= 0 else inner
            who = re.sub(r"^on the report of (the )?", "", who)
            committee = committee_named(who.strip())
        items, names = [], []
        a = re.search(r"Agenda items?\s+(.+?)\s+(?=[A-Z])(.*?)\s*(?:Resolutions? adopted|$)", h)
        if a:
            items = [x for x in re.split(r"\s*(?:,|\band\b)\s*", a.group(1)) if x]
            names = [a.group(2).strip()] if a.group(2).strip() else []
        return {
            "symbol": symbol, "label": label, "title": title, "adopted_on": adopted, "committee": committee,
            "originating": originating, "report": report_of(originating) if originating else (None, None),
            "agenda_items": items, "agenda_item_names": names, "title_markers": title_markers,
        }

    # body
    def _body(self) -> None:
        current: Paragraph | None = None
        pending = ""  # the text of the paragraph being gathered, tokens embedded
        queue = list(reversed(self.x.blocks))
        labels = _Labels()
        while queue:
            block = queue.pop()
            plain = normalise(_strip_tokens(block))
            if not plain:
                continue
            split = self._split_block(block, plain)
            if split:
                queue.extend(reversed(split))
                continue
            if _OPERATIVE_START.match(plain) or re.fullmatch(r"Annex(?:\s+[IVX]+)?", plain):
                labels.close()
            elif current is not None:
                restored = labels.restore(plain)
                if restored:
                    block, plain = f"{restored} {block.lstrip()}", f"{restored} {plain}"
            labels.saw(plain)
            closing = _CLOSING.match(plain)
            if closing and self.kind != "annex":
                self.plenary_meeting = normalise(closing.group(0))
                d = _DATE.search(plain)
                if d:
                    self.closing_date = parse_date(d.group(1))
                if current is not None:
                    self._finish(current, pending)
                current, pending = None, ""
                self.closed = True  # after the closing only an annex may follow
                continue
            if self.closed and self.kind != "annex" and not re.fullmatch(r"Annex(?:\s+[IVX]+)?", plain):
                continue
            if current is None and self.closing_date is None and plain.startswith(tuple(_DATE_LINES)):
                continue
            if re.fullmatch(r"Annex(?:\s+[IVX]+)?", plain):
                if current is not None:
                    self._finish(current, pending)
                # "Annex" and the annex's title are its heading, not paragraphs (as parse_akn
                # reads the attachment's docType and docTitle, or its bold lines).
                self.kind = "annex"
                current, pending = None, ""
                self._heading([block, *self._heading_run(queue, opening=True)])
                continue
            if block.lstrip(PAGE).startswith(HEAD) and not _OPERATIVE_START.match(plain) \
                    and not _SUB_LABEL.match(plain) and not _ends_sentence(block):
                if current is not None:
                    self._finish(current, pending)
                current, pending = None, ""
                self._heading([block])  # a centred line between paragraphs: a section heading
                continue
            if current is None or _ends_sentence(pending):
                queue.append(block)
                run = self._heading_run(queue, opening=False)
                if not run:
                    queue.pop()
                else:
                    if current is not None:
                        self._finish(current, pending)
                    current, pending = None, ""
                    self._heading(run)
                    continue
            if current is not None and self._continues(pending, plain, block):
                pending = _glue(pending, block)
                continue
            if current is not None:
                self._finish(current, pending)
            current, pending = self._open(block, plain)
        if current is not None:
            self._finish(current, pending)

    def _heading_run(self, queue: list[str], opening: bool) -> list[str]:
        """The blocks at the end of ``queue`` (the next to read) that are a heading, popped.

        A heading is a run of lines none of which ends a sentence or carries a paragraph
        number or a list label, standing between the end of one paragraph and a paragraph
        that opens with its number, a label or a capital ("II" / "Our call to action" /
        "7. We ..."; "Annex" / its title / "1. The Conference ..."). Right after "Annex" the run
        is the annex's title whatever follows it; elsewhere only a numbered paragraph after the
        run makes it a heading, since an unnumbered line that does not end a sentence is more
        often a paragraph carried over a page. A run followed by a lower-case line is the
        opening of a sentence, never a heading.
        """
        run = []
        i = len(queue) - 1
        while i >= 0:
            plain = normalise(_strip_tokens(queue[i]))
            if not plain:
                i -= 1
                continue
            if _OPERATIVE_START.match(plain) or _SUB_LABEL.match(plain) or _ends_sentence(queue[i]) \
                    or _CLOSING.match(plain) or re.fullmatch(r"Annex(?:\s+[IVX]+)?", plain):
                break
            run.append(i)
            i -= 1
        if not run:
            return []
        after = normalise(_strip_tokens(queue[i])) if i >= 0 else ""
        if after[:1].islower():
            return []
        if not opening and not (_OPERATIVE_START.match(after) or re.fullmatch(r"Annex(?:\s+[IVX]+)?", after)):
            return []
        blocks = [queue[j] for j in run]
        del queue[i + 1:]
        return blocks

    def _heading(self, blocks: list[str]) -> None:
        """Keep a heading's footnote markers for the paragraph under it, as parse_akn does."""
        self.heading_markers.extend(m for b in blocks for m in re.findall(f"{MARK}([^{MARK}]*){MARK}", b))

    def _split_block(self, block: str, plain: str) -> list[str] | None:
        """A block holding two structural units the extract ran together, as two blocks.

        * "Annex <title>": after the closing, the annex heading and the annex's title on one
          line (the XML keeps them as two paragraphs);
        * "...in persons.8 6. We recall ...": the next paragraph, numbered with the next number
          expected, run into the end of the one before after its sentence-final punctuation
          (and footnote marker). Only the next number splits: "paragraph 6. of" or a list of
          numbers never stands after a full stop with exactly the expected number.
        """
        if self.closed and self.kind != "annex":
            m = re.match(r"\s*(Annex(?:\s+[IVX]+)?)\s+(?=[A-Z0-9\x03])", block)
            if m and not plain.endswith((".", ";", ",")):
                return [m.group(1), block[m.end():]]
        own = _OPERATIVE_START.match(plain)
        numbers = [p.number for p in self.paragraphs if p.kind == self.kind and p.number and p.number.isdigit()]
        if own:
            expected = int(own.group(1)) + 1
        elif numbers and self.kind != "preambular":
            expected = int(numbers[-1]) + 1
        else:
            return None
        m = re.search(rf"(?<=[.;:])((?:{MARK}[^{MARK}]*{MARK})?)\s+({expected})\.\s+(?=[A-Z\x03])", block)
        if m and m.start() > 0:
            return [block[:m.start()] + m.group(1), block[m.start(2):]]
        return None

    def _continues(self, previous: str, plain: str, block: str = "") -> bool:
        """Whether a block carries on the paragraph before it (a page or footnote break)."""
        prev = normalise(_strip_tokens(previous)).rstrip("”’\")]")
        if not prev:
            return False
        if _SUB_LABEL.match(plain) or _OPERATIVE_START.match(plain):
            return not prev.endswith(_TERMINAL) and not _OPERATIVE_START.match(plain)
        if plain[0].islower():
            return True
        if self.layout == "pdftotext" and not block.startswith(PAGE) and block:
            # A paragraph gap the layout kept, not a page break, before a capital: a new paragraph
            # even where the one before ends without punctuation (a schedule's lines, a heading).
            return False
        if not prev.endswith(_TERMINAL):
            return True
        # After a comma a new paragraph opens with a lead phrase; anything else carries on.
        # The lead is recognised by typography first (the italics the layout kept), then by
        # its form (below), and only then by the lexicon of lead phrases seen in the corpus.
        if block.lstrip().startswith(ITALIC_OPEN) and self.kind != "annex":
            return False
        if self.kind == "preambular" and _LEAD_FORM.match(plain):
            return False
        kind = "operative" if self.kind == "operative" else "preambular"
        if self.kind == "annex":
            # An annex numbered like a declaration ("1. We, the States Members ...") opens each
            # paragraph with its number or a letter: an unnumbered block within it is the current
            # paragraph carried over a page ("We will ensure ..." after a full stop included).
            para = self.paragraphs[-1] if self.paragraphs else None
            return bool(para and para.kind == "annex" and (para.number or _SUB_LABEL.match(previous.lstrip())))
        return lead_phrase(kind, plain) is None and lead_phrase("operative", plain) is None

    def _open(self, block: str, plain: str) -> tuple[Paragraph, str]:
        sub = _SUB_LABEL.match(plain)
        # In an annex the XML lays lettered items out as paragraphs of their own.
        if sub and self.paragraphs and self.kind != "annex":
            return self.paragraphs[-1], f"\n{block}"
        number = None
        op = _OPERATIVE_START.match(plain)
        if op and self.kind != "annex":
            self.kind = "operative"
            number = op.group(1)
            block = _OPERATIVE_START.sub("", block.lstrip(), count=1)
        elif op:
            number = op.group(1)
            block = _OPERATIVE_START.sub("", block.lstrip(), count=1)
        elif self.kind == "preambular" and lead_phrase("operative", plain) and not lead_phrase("preambular", plain):
            self.kind = "operative"  # an unnumbered operative paragraph (a one-paragraph resolution)
        self.counters[self.kind] += 1
        para = Paragraph(kind=self.kind, ordinal=self.counters[self.kind], number=number, lead_phrase=None, text="")
        self.paragraphs.append(para)
        for marker in self.heading_markers:
            self._attach_note(marker, para, "heading")
        self.heading_markers = []
        return para, block

    def _finish(self, para: Paragraph, raw: str) -> None:
        """Set a paragraph's text, sub-paragraphs, lead phrase, footnotes and links from its raw text."""
        pieces = raw.split("\n")
        main, subs = pieces[0], [p for p in pieces[1:] if p.strip()]
        if para.text:  # sub-paragraphs arriving for a paragraph already finished
            main = ""
        lines = []
        if main.strip():
            lines.append(self._tokens(main, para))
            if para.kind != "annex" and para.lead_phrase is None:
                para.lead_phrase = _italic_lead(main) or lead_phrase(para.kind, lines[0])
        for sub in subs:
            text = self._tokens(sub, para)
            m = _SUB_LABEL.match(text)
            label = f"({m.group(1)})" if m else None
            body = text[m.end():] if m else text
            para.subparagraphs.append(SubParagraph(label, body, self._depth(para, label)))
            lines.append(f"{label} {body}" if label else body)
        para.text = "\n".join(([para.text] if para.text else []) + lines)

    def _depth(self, para: Paragraph, label: str | None) -> int:
        if not label:
            return 1
        inner = label.strip("()")
        if inner in _ROMAN:
            prev = [s.label.strip("()") for s in para.subparagraphs if s.label]
            letters = [x for x in prev if x not in _ROMAN or len(x) == 1 and x not in ("i", "v", "x")]
            if not (inner == "i" and letters and letters[-1] == "h") and not (inner == "v" and letters and letters[-1] == "u"):
                return 2
        return 1

    def _tokens(self, raw: str, para: Paragraph) -> str:
        """Plain text of a raw piece; its markers and citations recorded for the paragraph."""
        for marker in re.findall(f"{MARK}([^{MARK}]*){MARK}", raw):
            self._attach_note(marker, para, "paragraph")
        plain = normalise(_strip_tokens(raw))
        self._cite(raw, plain, para, in_footnote=False)
        return plain

    def _cite(self, raw: str, plain: str, para: Paragraph, in_footnote: bool) -> None:
        """Links where the layout kept them, and symbols named in the text where it did not.

        PDF conversions drop some links (78/229's "resolution 70/299" has none in the
        markdown), so symbols found in the text count too, beyond those already linked.
        """
        linked = []
        for anchor in re.findall(f"{LINK_OPEN}([^{LINK_CLOSE}]*){LINK_CLOSE}", raw):
            target = symbol_from_anchor(anchor)
            if target:
                linked.append((target, normalise(anchor)))
        seen: dict[str, int] = {}
        for target, _ in linked:
            seen[target] = seen.get(target, 0) + 1
        extra = []
        for target, anchor in citations_in_text(plain):
            if seen.get(target, 0) > 0:
                seen[target] -= 1
            else:
                extra.append((target, anchor))
        for target, anchor in linked + extra:
            self.citations.append(Citation(para.kind, para.ordinal, target, None, anchor, in_footnote))

    def _attach_note(self, marker: str, para: Paragraph, location: str) -> None:
        raw = self.x.notes.get(marker)
        if raw is None:
            return  # a stray digit that looked like a marker but has no footnote
        if any(f.marker == marker for f in self.footnotes):
            return
        text = _clean_note(raw)
        self.footnotes.append(Footnote(marker, text, para.kind, para.ordinal, location))
        para.footnote_markers.append(marker)
        self._cite(_mark_links(raw), text, para, in_footnote=True)


_DATE_LINES = ("Distr.", "General Assembly", "United Nations")
# The form of a preambular lead: a capitalised participle, adjective or adverb followed by a
# lower-case word ("Recalling also", "Convinced that", "Deeply concerned", "Mindful of").
# A sentence carried over a page after a comma rarely starts so; a proper name that looks
# like one ("United Nations", "Sustainable Development") has a capitalised second word.
_LEAD_FORM = re.compile(r"[A-Z][a-z]+(?:ing|ed|ful|ly)(?:,?\s+[a-z]|,)")


class _Labels:
    """Sub-paragraph labels the extract lost, restored from the list they belong to.

    A paragraph ending with a colon introduces lettered items, each ending with a semicolon
    (the last with a full stop or a semicolon). Some extractors drop the "(a)" and "(b)" of
    such items (80/12: "(c)" is the first label printed). An unlabelled block that starts
    with a capital right after a block ending with ":" or ";" of an open list is the list's
    next item and gets the next letter. A printed label resynchronises the sequence; a
    numbered paragraph, an annex heading or an item ending with a full stop closes the list.
    """

    def __init__(self):
        self.next: int | None = None  # index of the next letter, None when no list is open
        self.item_ended = False  # the block before ended an item (":" or ";")

    def close(self) -> None:
        self.next, self.item_ended = None, False

    def restore(self, plain: str) -> str | None:
        if self.next is None or not self.item_ended or _SUB_LABEL.match(plain) or not plain[:1].isupper():
            return None
        if self.next >= 26:
            return None
        # The block must end as an item of such a list ends: ";" or ":" (or "and"/"or" after its
        # semicolon); "." only for a later item, the list's last. Lines after a colon that end
        # otherwise (a schedule: "Monday, 9 June: from 9 a.m. to 1 p.m.") are not a lettered list.
        end = plain.rstrip("”’\")] ")
        if not (end.endswith((";", ":", "; and", "; or")) or (end.endswith(".") and self.next > 0)):
            return None
        return f"({chr(ord('a') + self.next)})"

    def saw(self, plain: str) -> None:
        label = _SUB_LABEL.match(plain)
        letter = label.group(1) if label and len(label.group(1)) == 1 else None
        # "(i)", "(v)", "(x)" are letters only where the sequence has reached them; else roman.
        if letter and (letter not in "ivx" or self.next == ord(letter) - ord("a")):
            self.next = ord(letter) - ord("a") + 1
        end = plain.rstrip("”’\")]")[-1:]
        if end == ":":
            if not label:
                self.next = 0
            self.item_ended = True
        elif end == ";":
            self.item_ended = True
        elif end == ".":
            self.close()
        else:
            self.item_ended = False


def _glue(left: str, right: str) -> str:
    if left.endswith("\n"):
        return left + right
    m = re.search(r"(\w+)-$", left)
    if m and right[:1].islower():
        first = re.match(r"[\w’']+", right).group(0)
        if f"{m.group(1)}-{first}".lower() in hyphenated_words():
            return left + right
        return left[:-1] + right
    if m and right[:1].isdigit():
        return left + right  # "P-" / "3 post": a word is never hyphenated before a digit (P-3, COVID-19)
    return f"{left} {right}"


def _italic_lead(raw: str) -> str | None:
    s = raw.lstrip()
    if s.startswith(ITALIC_OPEN):
        end = s.find(ITALIC_CLOSE)
        if end > 0:
            lead = normalise(s[1:end]).strip(" ,;:")
            return lead or None
    return None


def _mark_links(text: str) -> str:
    return re.sub(r"\[([^\]\n]+)\]\([^)\s]*\)", lambda m: f"{LINK_OPEN}{m.group(1)}{LINK_CLOSE}", text)


def _marker_key(marker: str):
    return (int(marker) if marker.isdigit() else 10**6, marker)
