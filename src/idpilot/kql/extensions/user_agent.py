"""`parse_user_agent(ua, families)`: browser, operating system and device of a user-agent text.

Kusto answers with the ua-parser project's families. This reads the product tokens that decide
those families for the clients seen in Entra sign-ins (Edge before Chrome before Safari, as
every Chromium and WebKit agent also names the engines it descends from), and answers the same
shape: `{"Browser": {"Family", "MajorVersion", "MinorVersion", "Patch"}, "OperatingSystem":
{"Family", "MajorVersion", "MinorVersion", "Patch", "PatchMinor"}, "Device": {"Family",
"Brand", "Model"}}`. A text no rule recognises is family "Other", as ua-parser answers.
"""

from __future__ import annotations

from duckdb_kql import ir
from duckdb_kql.translate import quote_string, render_expr

# (family, pattern whose first group is the dotted version); the first match wins.
BROWSERS = (
    ("Edge", r"Edge?A?/([\d.]+)"),
    ("Opera", r"OPR/([\d.]+)"),
    ("Samsung Internet", r"SamsungBrowser/([\d.]+)"),
    ("Chrome Mobile iOS", r"CriOS/([\d.]+)"),
    ("Firefox iOS", r"FxiOS/([\d.]+)"),
    ("Chrome Mobile", r"Chrome/([\d.]+) Mobile"),
    ("Chrome", r"Chrome/([\d.]+)"),
    ("Firefox", r"Firefox/([\d.]+)"),
    ("Mobile Safari", r"Version/([\d.]+).*Mobile.*Safari"),
    ("Safari", r"Version/([\d.]+).*Safari"),
    ("IE", r"(?:MSIE |Trident/.*rv:)([\d.]+)"),
    ("Python Requests", r"python-requests/([\d.]+)"),
    ("curl", r"curl/([\d.]+)"),
    ("PowerShell", r"PowerShell/([\d.]+)"),
)
SYSTEMS = (
    ("iOS", r"(?:iPhone|CPU) OS ([\d_]+)"),
    ("Android", r"Android ([\d.]+)"),
    ("Windows", r"Windows NT ([\d.]+)"),
    ("Mac OS X", r"Mac OS X ([\d_.]+)"),
    ("Chrome OS", r"CrOS \S+ ([\d.]+)"),
    ("Ubuntu", r"Ubuntu()"),
    ("Linux", r"Linux()"),
)
DEVICES = (
    ("iPhone", "Apple", r"iPhone"),
    ("iPad", "Apple", r"iPad"),
    ("Mac", "Apple", r"Macintosh"),
    ("Generic Smartphone", "Generic", r"Android.*Mobile"),
    ("Generic Tablet", "Generic", r"Android"),
)
_OTHER = "'Other'"


def render_parse_user_agent(node: ir.FunctionCall) -> str:
    """The SQL of `parse_user_agent(ua, families)`; the families argument only selects what
    Kusto computes, and every family is answered here."""
    text = render_expr(node.args[0])
    return (
        "list_transform([CAST(" + text + " AS VARCHAR)], lambda _ua: json_object("
        f"'Browser', {_versioned(BROWSERS, 4, ('MajorVersion', 'MinorVersion', 'Patch'))}, "
        "'OperatingSystem', "
        f"{_versioned(SYSTEMS, 5, ('MajorVersion', 'MinorVersion', 'Patch', 'PatchMinor'))}, "
        f"'Device', {_device()}))[1]"
    )


def _versioned(rules: tuple[tuple[str, str], ...], _parts: int, names: tuple[str, ...]) -> str:
    family = _first_match([(quote_string(name), pattern) for name, pattern in rules])
    version = (
        "CASE "
        + " ".join(
            f"WHEN regexp_matches(_ua, {quote_string(pattern)}) "
            f"THEN replace(regexp_extract(_ua, {quote_string(pattern)}, 1), '_', '.')"
            for _, pattern in rules
        )
        + " END"
    )
    fields = [f"'Family', {family}"]
    for index, name in enumerate(names, start=1):
        part = f"nullif(split_part({version}, '.', {index}), '')"
        fields.append(f"'{name}', {part}")
    return f"json_object({', '.join(fields)})"


def _device() -> str:
    family = _first_match([(quote_string(name), pattern) for name, _, pattern in DEVICES])
    brand = _first_match([(quote_string(brand), pattern) for _, brand, pattern in DEVICES])
    return f"json_object('Family', {family}, 'Brand', {brand}, 'Model', {family})"


def _first_match(choices: list[tuple[str, str]]) -> str:
    branches = " ".join(
        f"WHEN regexp_matches(_ua, {quote_string(pattern)}) THEN {value}"
        for value, pattern in choices
    )
    return f"CASE WHEN _ua IS NULL THEN NULL {branches} ELSE {_OTHER} END"
