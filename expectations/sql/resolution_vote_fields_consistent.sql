-- A recorded vote has its three tallies; a resolution adopted without a vote (or whose
-- outcome is unknown) has none.
SELECT symbol, vote_outcome, votes_in_favour, votes_against, votes_abstaining
FROM core.dim_resolution
WHERE (vote_outcome = 'recorded_vote'
       AND (votes_in_favour IS NULL OR votes_against IS NULL OR votes_abstaining IS NULL))
   OR (vote_outcome IS DISTINCT FROM 'recorded_vote'
       AND (votes_in_favour IS NOT NULL OR votes_against IS NOT NULL OR votes_abstaining IS NOT NULL))
