-- core.dim_resolution's listed_in_favour, listed_against and listed_abstaining are the States
-- core.bridge_resolution_vote lists under each vote of a recorded vote (null without a recorded
-- vote or without a list), and tally_matches_vote_list says whether the three printed tallies
-- equal them (null when there is nothing to compare).
WITH v AS (
    SELECT symbol,
           count(*) FILTER (WHERE vote = 'yes') AS yes,
           count(*) FILTER (WHERE vote = 'no') AS no,
           count(*) FILTER (WHERE vote = 'abstain') AS abstain
    FROM core.bridge_resolution_vote GROUP BY symbol
), expected AS (
    SELECT r.symbol,
           CASE WHEN r.vote_outcome = 'recorded_vote' THEN v.yes END AS yes,
           CASE WHEN r.vote_outcome = 'recorded_vote' THEN v.no END AS no,
           CASE WHEN r.vote_outcome = 'recorded_vote' THEN v.abstain END AS abstain,
           CASE WHEN r.vote_outcome = 'recorded_vote' AND v.symbol IS NOT NULL
                THEN r.votes_in_favour = v.yes AND r.votes_against = v.no AND r.votes_abstaining = v.abstain
           END AS matches
    FROM core.dim_resolution r LEFT JOIN v USING (symbol)
)
SELECT r.symbol, r.listed_in_favour, e.yes AS expected_in_favour, r.listed_against, e.no AS expected_against,
       r.listed_abstaining, e.abstain AS expected_abstaining, r.tally_matches_vote_list, e.matches AS expected_match
FROM core.dim_resolution r JOIN expected e USING (symbol)
WHERE r.listed_in_favour IS DISTINCT FROM e.yes
   OR r.listed_against IS DISTINCT FROM e.no
   OR r.listed_abstaining IS DISTINCT FROM e.abstain
   OR r.tally_matches_vote_list IS DISTINCT FROM e.matches
