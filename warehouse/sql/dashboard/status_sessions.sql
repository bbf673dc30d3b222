-- Dashboard, status: each session loaded with its resolutions, paragraphs, footnotes,
-- rejected files and the dates of its first and last adoption.
SELECT s.session, s.label,
       (SELECT count(*) FROM core.dim_resolution AS r WHERE r.session = s.session)::INTEGER AS resolutions,
       (SELECT count(*) FROM core.fact_paragraph AS p WHERE p.session = s.session)::INTEGER AS paragraphs,
       (SELECT count(*) FROM core.fact_footnote AS f WHERE f.session = s.session)::INTEGER AS footnotes,
       (SELECT count(*) FROM ops.rejected AS j WHERE j.session = s.session)::INTEGER AS rejected,
       (SELECT min(adopted_on) FROM core.dim_resolution AS r WHERE r.session = s.session) AS first_adopted,
       (SELECT max(adopted_on) FROM core.dim_resolution AS r WHERE r.session = s.session) AS last_adopted
FROM core.dim_session AS s
ORDER BY s.session;
