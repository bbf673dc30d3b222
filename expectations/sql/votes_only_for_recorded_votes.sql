-- States' votes are listed only for resolutions adopted by recorded vote.
SELECT v.symbol, r.vote_outcome, count(*) AS votes
FROM core.bridge_resolution_vote v
JOIN core.dim_resolution r USING (resolution_key)
WHERE r.vote_outcome IS DISTINCT FROM 'recorded_vote'
GROUP BY ALL
