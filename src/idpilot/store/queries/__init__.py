"""The queries the analyses, skills, detections and evaluation run, one module per domain.

Each function takes the Store and typed values, binds every value as a parameter (`?` or
`$name`) and returns rows (dicts keyed by column name) or a scalar.
"""
