-- step: global
-- depends: core.dim_resolution, marts._session_coverage

-- How each GA session adopted its resolutions: without a vote (consensus) or by recorded
-- vote, and how divided the recorded votes were.
CREATE TABLE IF NOT EXISTS marts.adoption_by_session (
    session INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    without_vote INTEGER NOT NULL,
    recorded_vote INTEGER NOT NULL,
    outcome_unknown INTEGER NOT NULL,
    without_vote_share DOUBLE NOT NULL,
    median_in_favour DOUBLE,
    median_against DOUBLE,
    median_abstaining DOUBLE,
    coverage DOUBLE,
    is_complete BOOLEAN NOT NULL
);

-- build
INSERT INTO marts.adoption_by_session BY NAME
SELECT r.session,
       count(*) AS resolutions,
       count(*) FILTER (r.vote_outcome = 'without_vote') AS without_vote,
       count(*) FILTER (r.vote_outcome = 'recorded_vote') AS recorded_vote,
       count(*) FILTER (r.vote_outcome IS NULL) AS outcome_unknown,
       count(*) FILTER (r.vote_outcome = 'without_vote') / count(*) AS without_vote_share,
       median(r.votes_in_favour) FILTER (r.vote_outcome = 'recorded_vote') AS median_in_favour,
       median(r.votes_against) FILTER (r.vote_outcome = 'recorded_vote') AS median_against,
       median(r.votes_abstaining) FILTER (r.vote_outcome = 'recorded_vote') AS median_abstaining,
       c.coverage,
       coalesce(c.is_complete, false) AS is_complete
FROM core.dim_resolution r
LEFT JOIN session_coverage c USING (session)
GROUP BY r.session, c.coverage, c.is_complete;
