-- table: core.fact_paragraph
-- severity: error
-- Each paragraph of a text or PDF version is one paragraph: none holds the start of the
-- next one, run in because the text parser could not separate them. An operative paragraph
-- numbered n holds the next paragraph when, after sentence-final punctuation, it prints
-- "n+1." and a capitalised word ("... persons;6. We recall ..."); a preambular paragraph
-- holds the next clause when, after a comma, it prints a new preambular lead ("...
-- December 2022, Reaffirming also its resolutions ...") or "1." and a capitalised word (the
-- first operative paragraph).

-- Only text versions (source_format 'text'): the XML marks each paragraph up, so it has no
-- paragraphs to separate, and its text is what a correct text version gives. Run over the
-- XML of sessions 74-79 (2,000 resolutions, 46,895 operative and 33,662 preambular
-- paragraphs) the two patterns find no paragraph, so a correct text version is not held.
--
-- Why the patterns are as narrow as they are (each loosening was measured on that XML):
-- * operative: only the paragraph's own number plus one counts. Any number after a full
--   stop would catch citations and lists ("para. 3. The"); the next number with a
--   capital after it is the next paragraph. No space is needed before it: the parser
--   splits "persons; 6. We" itself but not "persons;6. We", which is what reaches here.
-- * preambular: a lead is a capitalised participle or -ful adjective ("Recalling",
--   "Deeply concerned", "Mindful"), or one of the four adjectives GA preambles open with
--   that are neither (Aware, Conscious, Cognizant, Desirous), followed by a comma or by
--   two words of which the first is lower case. Title case is what must not match:
--   "Development, Production, Stockpiling and Use of Chemical Weapons", "Illegal,
--   Unreported and Unregulated Fishing" (54 preambular paragraphs of the XML match a
--   participle after a comma followed by any lower-case word; none once the second word
--   must be lower case or a number too). The price: a run-in whose lead is followed by a
--   capital ("Recalling the Declaration ...") is missed; 94% of the XML's preambular
--   paragraphs (after the first) open in a form that would be found.
-- Operative paragraphs are not searched for preambular leads: "subprogramme 2, Landlocked
-- developing countries" is a budget line, not a run-in.
WITH text_paragraph AS (
    SELECT p.symbol, p.kind, p.ordinal, p.number, p.text
    FROM core.fact_paragraph p
    JOIN core.dim_resolution r USING (resolution_key)
    WHERE r.source_format = 'text'
),
operative AS (
    SELECT symbol, kind, ordinal, number,
           regexp_extract(text, '[.;:]["”’)\]]?\s*' || (number::INTEGER + 1) || '\.\s+[A-Z][\w-]*', 0) AS run_in
    FROM text_paragraph
    WHERE kind = 'operative' AND regexp_full_match(number, '\d{1,4}')
),
preambular AS (
    SELECT symbol, kind, ordinal, number,
           coalesce(nullif(regexp_extract(text,
               ',\s+(?:[A-Z][a-z]+ly\s+[a-z]+(?:ing|ed)|[A-Z][a-z]+(?:ing|ed|ful)|Aware|Conscious|Cognizant|Desirous)'
               || '(?:,\s+[a-z][\w-]*|\s+[a-z][\w-]*,?\s+[a-z0-9“"(][\w-]*)', 0), ''),
                    regexp_extract(text, '[,;:.]\s*1\.\s+[A-Z][\w-]*', 0)) AS run_in
    FROM text_paragraph
    WHERE kind = 'preambular'
)
SELECT symbol, kind, ordinal, number, run_in FROM operative WHERE run_in <> ''
UNION ALL
SELECT symbol, kind, ordinal, number, run_in FROM preambular WHERE run_in <> ''
ORDER BY symbol, kind, ordinal
