"""The composer's small markdown as HTML: headings, lists, paragraphs, bold, code, citations.

Every character of text is HTML-escaped after the markdown escapes are read, so tenant text
(already made inert by the composer) can add no element or attribute.
"""

from __future__ import annotations

import html
import re

_INLINE = re.compile(r"\\(.)|`([^`]*)`|\*\*|(?<!\\)\[(\d+)\]|([^\\`*\[]+|.)")
_ITEM = re.compile(r"^(\s*)(?:[-*]|(\d+)\.)\s+(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


def inline(text: str) -> str:
    """One line of markdown as HTML (escapes read, then everything escaped)."""
    out: list[str] = []
    bold = False
    for match in _INLINE.finditer(text):
        escaped, code, marker, plain = match.groups()
        if escaped is not None:
            out.append(html.escape(escaped))
        elif code is not None:
            out.append(f"<code>{html.escape(code)}</code>")
        elif marker is not None:
            out.append(f'<a class="cite" href="#ev-{marker}">[{marker}]</a>')
        elif plain is not None:
            out.append(html.escape(plain))
        else:
            out.append("</strong>" if bold else "<strong>")
            bold = not bold
    if bold:
        out.append("</strong>")
    return "".join(out)


def to_html(markdown: str) -> str:
    """A markdown document (the composer's subset) as an HTML fragment."""
    out: list[str] = []
    lists: list[tuple[int, str]] = []
    lines = markdown.splitlines()
    index = 0

    def close_lists(indent: int = -1) -> None:
        while lists and lists[-1][0] > indent:
            out.append(f"</{lists.pop()[1]}>")

    while index < len(lines):
        line = lines[index]
        index += 1
        if line.startswith("```"):
            close_lists()
            code = []
            while index < len(lines) and not lines[index].startswith("```"):
                code.append(lines[index])
                index += 1
            index += 1
            out.append(f"<pre><code>{html.escape(chr(10).join(code))}</code></pre>")
        elif heading := _HEADING.match(line):
            close_lists()
            level = len(heading.group(1))
            out.append(f"<h{level}>{inline(heading.group(2))}</h{level}>")
        elif item := _ITEM.match(line):
            indent = len(item.group(1))
            tag = "ol" if item.group(2) else "ul"
            close_lists(indent)
            if not lists or lists[-1][0] < indent:
                lists.append((indent, tag))
                out.append(f"<{tag}>")
            out.append(f"<li>{inline(item.group(3))}</li>")
        elif line.strip():
            close_lists()
            out.append(f"<p>{inline(line)}</p>")
        else:
            close_lists()
    close_lists()
    return "\n".join(out)
