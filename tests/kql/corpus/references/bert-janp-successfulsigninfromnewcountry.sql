-- Successful sign-ins of the last 3 days from a country not seen in the 87 days before.
SELECT TimeGenerated, Location, UserAgent, ResultType, Identity, UserPrincipalName, IPAddress
FROM SigninLogs
WHERE TimeGenerated > $now - INTERVAL 3 DAY AND ResultType = '0' AND coalesce(Location, '') <> ''
  AND Location NOT IN (
    SELECT DISTINCT Location FROM SigninLogs
    WHERE TimeGenerated > $now - INTERVAL 90 DAY AND TimeGenerated < $now - INTERVAL 3 DAY
      AND ResultType = '0' AND coalesce(Location, '') <> ''
  )
