-- Sign-ins per user agent.
SELECT UserAgent, count(*) AS count_ FROM SigninLogs GROUP BY UserAgent
