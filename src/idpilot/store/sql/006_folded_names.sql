-- People's names as admins type them without diacritics: "Lukasz Zielinski" for Łukasz
-- Zieliński, "Oystein" for Øystein, "Bjorn" for Björn. fold_name lower-cases, strips accents
-- and spells the letters that have no accent to strip (ł ø đ ħ ı æ œ ß þ) in ASCII.
-- folded_user_names keeps only the users whose folded name differs from the lower-cased one,
-- so a tenant of ASCII names costs nothing. Rebuilt by idpilot.store.post_ingest after each
-- ingest that changes users.
CREATE MACRO fold_name(s) AS
    replace(replace(replace(replace(
        translate(strip_accents(lower(s)), 'łøđħı', 'lodhi'),
        'æ', 'ae'), 'œ', 'oe'), 'ß', 'ss'), 'þ', 'th');
CREATE TABLE folded_user_names (id VARCHAR NOT NULL, display VARCHAR, given VARCHAR);
INSERT INTO folded_user_names
SELECT id, fold_name(displayName), fold_name(coalesce(givenName, split_part(displayName, ' ', 1)))
FROM users
WHERE fold_name(displayName) <> lower(displayName)
   OR fold_name(coalesce(givenName, '')) <> lower(coalesce(givenName, ''));
