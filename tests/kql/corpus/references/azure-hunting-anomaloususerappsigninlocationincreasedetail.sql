-- The 3 (user, app) pairs whose daily count of distinct locations over the last 14 days of the
-- snapshot (a day without sign-ins counting 0) rises most steeply (least-squares slope), with
-- their locations per 3-day window.
WITH recent AS (
  SELECT UserPrincipalName, AppDisplayName, TimeGenerated,
         concat(coalesce(json_extract_string(LocationDetails, '$.countryOrRegion'), ''), '/',
                coalesce(json_extract_string(LocationDetails, '$.state'), ''), '/',
                coalesce(json_extract_string(LocationDetails, '$.city'), ''), ';') AS place
  FROM SigninLogs
  WHERE TimeGenerated >= $now - INTERVAL 14 DAY
),
days AS (
  SELECT unnest(generate_series(
    date_trunc('day', $now - INTERVAL 14 DAY), date_trunc('day', $now), INTERVAL 1 DAY)) AS day
),
pairs AS (SELECT DISTINCT UserPrincipalName, AppDisplayName FROM recent),
daily AS (
  SELECT UserPrincipalName, AppDisplayName, date_trunc('day', TimeGenerated) AS day,
         count(DISTINCT place) AS places
  FROM recent GROUP BY ALL
),
slopes AS (
  SELECT p.UserPrincipalName, p.AppDisplayName,
         regr_slope(coalesce(d.places, 0), epoch(days.day) / 86400) AS slope
  FROM pairs p CROSS JOIN days
  LEFT JOIN daily d ON d.UserPrincipalName = p.UserPrincipalName
    AND d.AppDisplayName = p.AppDisplayName AND d.day = days.day
  GROUP BY ALL
),
top3 AS (SELECT * FROM slopes ORDER BY slope DESC LIMIT 3),
windows AS (
  SELECT AppDisplayName, UserPrincipalName,
         to_timestamp(floor(epoch(TimeGenerated) / 259200) * 259200) AS timerange,
         list(DISTINCT place) AS locationList, count(DISTINCT place) AS threeDayWindowLocationCount
  FROM recent GROUP BY ALL
)
SELECT w.timerange, w.AppDisplayName, w.UserPrincipalName, w.threeDayWindowLocationCount,
       w.locationList, w.timerange AS timestamp, w.UserPrincipalName AS AccountCustomEntity
FROM windows w JOIN top3 t USING (UserPrincipalName, AppDisplayName)
