"""Network identifiers in a prompt: IP addresses, IP ranges and AADSTS error codes.

Ranges are CIDR as Graph's `ipNamedLocation.ipRanges` hold them: "10.1.0.0/16" as written,
"203.0.113.*" as 203.0.113.0/24, "10.0.0.1-10.0.0.50" or "10.0.0.1-50" as the CIDR blocks that
cover it. An address or range that is not valid ("999.1.1.1", "10.0.0.0/33") is returned as
unparsed, never dropped silently.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

_OCTETS = r"\d{1,3}(?:\.\d{1,3}){3}"
_IPV4 = re.compile(r"(?<![\w.])(" + _OCTETS + r")(?![\w/]|\.\d)")
_CIDR4 = re.compile(r"(?<![\w.])(" + _OCTETS + r")/(\d{1,3})(?![\w.])")
_DASHED4 = re.compile(
    r"(?<![\w.])(" + _OCTETS + r")\s*(?:-|–|to)\s*(" + _OCTETS + r"|\d{1,3})(?![\w/]|\.\d)"
)
_WILDCARD4 = re.compile(r"(?<![\w.])((?:\d{1,3}\.){1,3})\*((?:\.\*)*)(?![\w.*])")
_IPV6 = re.compile(
    r"(?<![\w:.])((?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4})(?:/(\d{1,3}))?(?![\w:])", re.I
)
_AADSTS = re.compile(r"\baadsts\s*(\d{4,7})\b", re.I)
_CODE_LIST = re.compile(
    r"\b(?:errors?|codes?|error\s+codes?|errorcode|status(?:\s+code)?|failure\s+reason)"
    r"\s*(?:#|:|=|number)?\s*(\d{5,7}(?:\s*(?:,|/|and|or|&)\s*\d{5,7})*)\b",
    re.I,
)
_BARE_CODE = re.compile(r"(?<![\w.:/#+-])(\d{5,7})(?![\w.:/%]|,\d)")
# A bare number after these words, or before a count noun, is a quantity or an id, not a code.
_QUANTITY_BEFORE = re.compile(
    r"(?:\btop|\bthan|\bover|\bunder|\babove|\bbelow|\bleast|\bmost|\babout|\baround|\bfirst|"
    r"\blast|\bpast|\bemployee|\bid|\bticket|\bcase|\bincident|\bnumber|\bno\.|\bext|\bphone|"
    r"\bport|\bbuild|\bversion|\bkb|[<>=~$€£])\s*$",
    re.I,
)
# Not "errors" or "failures": "seeing 500121 errors" names the code the errors carry.
_COUNT_AFTER = re.compile(
    r"\s*(?:users|accounts|sign-?ins|log-?ins|logons|attempts|events|records|rows|"
    r"requests|people|staff|times|members|devices|groups|apps|entries|messages|seconds|"
    r"minutes|hours|days|weeks|months|years|ms|bytes|items|licen[cs]es|seats|mailboxes)\b",
    re.I,
)
_DIGITS = re.compile(r"\d{5,7}")
_V4_OCTETS = 4
_BITS_OCTET = 8
_MAX_OCTET = 255


@dataclass
class NetworkSlots:
    """IP addresses, CIDR ranges and error codes, plus the identifiers that were not valid."""

    ips: list[str] = field(default_factory=list)
    ip_ranges: list[str] = field(default_factory=list)
    error_codes: list[int] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # characters already read
    read: bytearray = field(default_factory=bytearray)  # 1 for each character already read

    def take(self, start: int, end: int) -> None:
        """Mark [start, end) as read, so no later pattern reads it again."""
        self.spans.append((start, end))
        self.read[start:end] = b"\x01" * (end - start)


def _taken(found: NetworkSlots, start: int, end: int) -> bool:
    return any(found.read[start:end])


def _ranges(text: str, found: NetworkSlots) -> None:
    for match in _CIDR4.finditer(text):
        found.take(*match.span())
        try:
            found.ip_ranges.append(str(ipaddress.ip_network(match.group(0), strict=False)))
        except ValueError:
            found.unparsed.append(match.group(0))
    for match in _DASHED4.finditer(text):
        if _taken(found, *match.span()):
            continue
        first, last = match.group(1), match.group(2)
        if "." not in last:
            last = first.rsplit(".", 1)[0] + "." + last
        found.take(*match.span())
        try:
            low, high = ipaddress.IPv4Address(first), ipaddress.IPv4Address(last)
            if high < low:
                raise ValueError(match.group(0))
            for network in ipaddress.summarize_address_range(low, high):
                found.ip_ranges.append(str(network))
        except ValueError:
            found.unparsed.append(match.group(0))
    for match in _WILDCARD4.finditer(text):
        if _taken(found, *match.span()):
            continue
        found.take(*match.span())
        octets = match.group(1).rstrip(".").split(".")
        parts = len(octets) + 1 + match.group(2).count("*")
        if parts > _V4_OCTETS or any(int(o) > _MAX_OCTET for o in octets):
            found.unparsed.append(match.group(0))
            continue
        prefix = ".".join(octets + ["0"] * (_V4_OCTETS - len(octets)))
        found.ip_ranges.append(f"{prefix}/{len(octets) * _BITS_OCTET}")


def _addresses(text: str, found: NetworkSlots) -> None:
    for match in _IPV4.finditer(text):
        if _taken(found, *match.span()):
            continue
        found.take(*match.span())
        try:
            found.ips.append(str(ipaddress.IPv4Address(match.group(1))))
        except ValueError:
            found.unparsed.append(match.group(1))
    for match in _IPV6.finditer(text):
        if _taken(found, *match.span()) or match.group(1).count(":") < 2:
            continue
        try:
            if match.group(2) is not None:
                network = ipaddress.IPv6Network(match.group(0), strict=False)
                found.ip_ranges.append(str(network))
            else:
                found.ips.append(str(ipaddress.IPv6Address(match.group(1))))
        except ValueError:
            continue  # "10:30:00" and other colon runs that are not addresses
        found.take(*match.span())


def _error_codes(text: str, found: NetworkSlots) -> None:
    for match in _AADSTS.finditer(text):
        found.take(*match.span())
        found.error_codes.append(int(match.group(1)))
    for match in _CODE_LIST.finditer(text):
        if _taken(found, *match.span(1)):
            continue
        found.take(*match.span(1))
        for code in _DIGITS.findall(match.group(1)):
            found.error_codes.append(int(code))
    for match in _BARE_CODE.finditer(text):
        if _taken(found, *match.span()):
            continue
        if _QUANTITY_BEFORE.search(text[max(0, match.start() - 12) : match.start()]):
            continue
        if _COUNT_AFTER.match(text, match.end()):
            continue
        found.take(*match.span())
        found.error_codes.append(int(match.group(1)))


def find_network(text: str) -> NetworkSlots:
    """The IPs, ranges and error codes in `text` (each list without repeats)."""
    found = NetworkSlots(read=bytearray(len(text)))
    _ranges(text, found)
    _addresses(text, found)
    _error_codes(text, found)
    found.ips = list(dict.fromkeys(found.ips))
    found.ip_ranges = list(dict.fromkeys(found.ip_ranges))
    found.error_codes = list(dict.fromkeys(found.error_codes))
    return found
