-- Risk events of the last 90 days of the snapshot, per day and type.
SELECT date_trunc('day', TimeGenerated) AS TimeGenerated, RiskEventType, count(*) AS count_
FROM AADUserRiskEvents
WHERE TimeGenerated > $now - INTERVAL 90 DAY
GROUP BY 1, 2
