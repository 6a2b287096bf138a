-- Failed sign-ins whose reason names Conditional Access, per user.
SELECT UserPrincipalName, count(*) AS Total,
    list(DISTINCT ResultType) FILTER (WHERE ResultType IS NOT NULL) AS ResultTypes,
    list(DISTINCT ResultDescription) FILTER (WHERE ResultDescription IS NOT NULL) AS ResultDescriptions
FROM SigninLogs
WHERE ResultType <> '0' AND regexp_matches(ResultDescription, '(?i)(^|[^[:alnum:]])conditional access([^[:alnum:]]|$)')
GROUP BY UserPrincipalName
