"""English names of European cities and the names the cities use themselves.

A tenant names its groups, locations and offices in its own language ("All Staff München",
"Göteborg office"); its admins, writing in English, say "Munich" and "Gothenburg". Each name a
prompt gives is looked up in both forms. Lower case, one or two words each.
"""

from __future__ import annotations

ENDONYMS: dict[str, str] = {
    "munich": "münchen", "cologne": "köln", "nuremberg": "nürnberg", "vienna": "wien",
    "zurich": "zürich", "geneva": "genève", "prague": "praha", "warsaw": "warszawa",
    "krakow": "kraków", "cracow": "kraków", "gdansk": "gdańsk", "wroclaw": "wrocław",
    "lodz": "łódź", "poznan": "poznań", "gothenburg": "göteborg", "malmo": "malmö",
    "copenhagen": "københavn", "aarhus": "århus", "tromso": "tromsø", "milan": "milano",
    "rome": "roma", "turin": "torino", "naples": "napoli", "florence": "firenze",
    "venice": "venezia", "genoa": "genova", "lisbon": "lisboa", "seville": "sevilla",
    "brussels": "bruxelles", "antwerp": "antwerpen", "the hague": "den haag",
    "athens": "athina", "bucharest": "bucurești", "belgrade": "beograd", "moscow": "moskva",
    "kyiv": "київ", "reykjavik": "reykjavík",
}  # fmt: skip
"""English name -> the city's own name."""


def endonym_variant(phrase: str) -> str | None:
    """The phrase with each English city name replaced by the city's own ("munich all staff" ->
    "münchen all staff"), or None when it names none."""
    text = f" {phrase.lower()} "
    changed = text
    for english, own in ENDONYMS.items():
        if english != own:
            changed = changed.replace(f" {english} ", f" {own} ")
    return changed.strip() if changed != text else None
