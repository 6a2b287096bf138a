"""Split one Microsoft Learn markdown page into titled sections of plain text, with URLs.

A page's URL is its path in `MicrosoftDocs/entra-docs` under learn.microsoft.com/entra, without
the `docs/` folder and the `.md` suffix; a section's URL adds the anchor Learn gives its heading.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

LEARN_BASE = "https://learn.microsoft.com/entra/"
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_TITLE_LINE = re.compile(r"^title:\s*(.+?)\s*$", re.MULTILINE)
_HEADING = re.compile(r"^(#{1,4})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_DIRECTIVE = re.compile(r"^\s*:::.*$|^\s*\[!INCLUDE[^\]]*\]\s*$|^\s*<a name=[^>]*></a>\s*$", re.I)
_ALERT = re.compile(r"^\s*>\s*\[!(NOTE|IMPORTANT|WARNING|TIP|CAUTION|VIDEO)[^\]]*\]\s*$", re.I)
_QUOTE_MARK = re.compile(r"^\s*>\s?")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.I)
_TABLE_RULE = re.compile(r"^(?=.*(\||--))[\s|:-]+$")  # "| :-- | --- |" under a table header
_SLUG_DROP = re.compile(r"[^\w\s-]")
MIN_SECTION_CHARS = 40


class DocSection(BaseModel):
    """One section of a documentation page: where it is, what it is called, its text."""

    model_config = ConfigDict(frozen=True)

    path: str
    commit: str
    title: str
    heading: str
    url: str
    text: str


def page_url(path: str) -> str:
    """The learn.microsoft.com address of a repository path (docs/x/y.md -> /entra/x/y)."""
    trimmed = path.removeprefix("docs/")
    for suffix in (".md", ".yml"):
        trimmed = trimmed.removesuffix(suffix)
    return LEARN_BASE + trimmed


def anchor(heading: str) -> str:
    """The anchor Learn gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"\s+", "-", _SLUG_DROP.sub("", heading.lower()).strip())


def plain_line(line: str) -> str:
    """A markdown line as a reader sees it: links as their text, no emphasis, no images."""
    line = _IMAGE.sub("", line)
    line = _LINK.sub(r"\1", line)
    line = _HTML_BREAK.sub(" ", line)
    kept = line.replace("\\*", "\x00")  # an escaped asterisk is text, not emphasis
    return _EMPHASIS.sub("", kept).replace("\x00", "*").rstrip()


def table_cells(line: str) -> list[str]:
    """The cells of a markdown table row, as plain text."""
    return [plain_line(cell.strip()) for cell in line.strip().strip("|").split("|")]


def table_row(header: list[str], line: str) -> str:
    """A table row as one line a reader can quote: "Column: value; Column: value"."""
    cells = table_cells(line)
    named = [f"{name}: {cell}" if name else cell for name, cell in zip(header, cells, strict=False)]
    return "; ".join(part for part in named if part.strip(": ")) + "."


def _front_matter_title(markdown: str) -> tuple[str | None, str]:
    match = _FRONT_MATTER.match(markdown)
    if not match:
        return None, markdown
    title = _TITLE_LINE.search(match.group(1))
    return (title.group(1).strip().strip("'\"") if title else None), markdown[match.end() :]


def split_page(path: str, commit: str, markdown: str) -> list[DocSection]:
    """The page's sections (H1 to H4 headings start one), code blocks and images left out."""
    front_title, body = _front_matter_title(markdown.replace("\r\n", "\n"))
    url = page_url(path)
    title = front_title or ""
    sections: list[DocSection] = []
    heading, lines, in_fence = "", [], False
    header: list[str] | None = None  # the column names of the table being read

    def close() -> None:
        text = "\n".join(line for line in lines if line.strip()).strip()
        if len(text) >= MIN_SECTION_CHARS:
            where = url if not heading or heading == title else f"{url}#{anchor(heading)}"
            sections.append(
                DocSection(
                    path=path, commit=commit, title=title, heading=heading or title,
                    url=where, text=text,
                )
            )  # fmt: skip

    for raw in body.split("\n"):
        if _FENCE.match(raw):
            in_fence = not in_fence
            continue
        if in_fence or _DIRECTIVE.match(raw) or _ALERT.match(raw) or _TABLE_RULE.match(raw):
            continue
        if raw.lstrip().startswith("|"):
            if header is None:
                header = table_cells(raw)
            else:
                lines.append(table_row(header, raw))
            continue
        header = None
        found = _HEADING.match(raw)
        if found:
            close()
            heading, lines = plain_line(found.group(2)), []
            if len(found.group(1)) == 1 and not title:
                title = heading
            if len(found.group(1)) == 1:
                heading = title
            continue
        lines.append(plain_line(_QUOTE_MARK.sub("", raw)))
    close()
    return sections
