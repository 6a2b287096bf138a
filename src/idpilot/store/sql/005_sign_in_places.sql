-- The places sign-ins were made from (city and country as recorded), one row each, so reading a
-- prompt's city names against the tenant's is a small lookup, not a scan of every sign-in.
-- Rebuilt by idpilot.store.post_ingest after each ingest that changes signIns.
CREATE TABLE sign_in_places (city VARCHAR NOT NULL, countryOrRegion VARCHAR);
INSERT INTO sign_in_places
SELECT DISTINCT json_extract_string(location, '$.city'),
       json_extract_string(location, '$.countryOrRegion')
FROM signIns WHERE coalesce(json_extract_string(location, '$.city'), '') <> '';
