-- The tallies of a recorded vote in core.dim_resolution equal the States listed in
-- core.bridge_resolution_vote for each vote (yes, no, abstain).
WITH v AS (
    SELECT resolution_key,
           count(*) FILTER (WHERE vote = 'yes') AS yes,
           count(*) FILTER (WHERE vote = 'no') AS no,
           count(*) FILTER (WHERE vote = 'abstain') AS abstain
    FROM core.bridge_resolution_vote GROUP BY resolution_key
)
SELECT r.symbol, r.votes_in_favour, coalesce(v.yes, 0) AS listed_yes, r.votes_against, coalesce(v.no, 0) AS listed_no,
       r.votes_abstaining, coalesce(v.abstain, 0) AS listed_abstain
FROM core.dim_resolution r
LEFT JOIN v USING (resolution_key)
WHERE r.vote_outcome = 'recorded_vote'
  AND (r.votes_in_favour <> coalesce(v.yes, 0) OR r.votes_against <> coalesce(v.no, 0)
       OR r.votes_abstaining <> coalesce(v.abstain, 0))
