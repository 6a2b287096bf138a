"""KQL run where the logs already are: a Log Analytics workspace or an Azure Data Explorer database.

The query is sent unchanged (no translation, no local store); the result comes back as a
`KqlResult`, so it prints exactly as a local one does. `log_analytics` and `data_explorer` read
each service's documented wire format, `transport` sends the request (token, retries on 429 and
503, errors a person can act on), `values` turns Kusto's typed JSON cells into Python values.
"""
