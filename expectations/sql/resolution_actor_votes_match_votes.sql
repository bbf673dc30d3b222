-- core.bridge_resolution_actor holds one voted_yes / voted_no / abstained row per State in
-- core.bridge_resolution_vote: per resolution, the same numbers of each.
WITH a AS (
    SELECT symbol,
           count(*) FILTER (WHERE role = 'voted_yes') AS yes,
           count(*) FILTER (WHERE role = 'voted_no') AS no,
           count(*) FILTER (WHERE role = 'abstained') AS abstain
    FROM core.bridge_resolution_actor GROUP BY symbol
), v AS (
    SELECT symbol,
           count(*) FILTER (WHERE vote = 'yes') AS yes,
           count(*) FILTER (WHERE vote = 'no') AS no,
           count(*) FILTER (WHERE vote = 'abstain') AS abstain
    FROM core.bridge_resolution_vote GROUP BY symbol
)
SELECT symbol, coalesce(a.yes, 0) AS actor_yes, coalesce(v.yes, 0) AS vote_yes,
       coalesce(a.no, 0) AS actor_no, coalesce(v.no, 0) AS vote_no,
       coalesce(a.abstain, 0) AS actor_abstain, coalesce(v.abstain, 0) AS vote_abstain
FROM a FULL JOIN v USING (symbol)
WHERE coalesce(a.yes, 0) <> coalesce(v.yes, 0) OR coalesce(a.no, 0) <> coalesce(v.no, 0)
   OR coalesce(a.abstain, 0) <> coalesce(v.abstain, 0)
