-- Sign-ins whose reason names Conditional Access, per result.
SELECT ResultType, ResultDescription, count(*) AS Total
FROM SigninLogs
WHERE regexp_matches(ResultDescription, '(?i)(^|[^[:alnum:]])conditional access([^[:alnum:]]|$)')
GROUP BY ResultType, ResultDescription
