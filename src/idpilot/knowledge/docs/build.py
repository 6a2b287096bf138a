"""Build the shipped documentation index from pinned pages of `MicrosoftDocs/entra-docs`.

    python -m idpilot.knowledge.docs.build --git-dir PATH/entra-docs.git   # a clone
    python -m idpilot.knowledge.docs.build --pages DIR                      # page files

Every page is pinned to the commit it is read at (`PINNED_PAGES`): from a clone each page is
`git show COMMIT:PATH`; from a folder of page files (laid out by repository path) each file is
taken as that pinned version. The pages are split by heading into sections and written, with a
header carrying the attribution and the pins, to `entra_docs.jsonl.gz` beside this module.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from idpilot.knowledge.docs.index import INDEX_FILE
from idpilot.knowledge.docs.sections import DocSection, page_url, split_page

REPOSITORY = "https://github.com/MicrosoftDocs/entra-docs"
LICENCE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
ATTRIBUTION = (
    "Contains text from Microsoft Entra documentation, Copyright (c) Microsoft Corporation, "
    f"from {REPOSITORY}, licensed under {LICENCE}. Selected sections of each page, quoted "
    "verbatim as published at the commit pinned for it; idpilot added only the section split "
    "and the plain-text rendering."
)
# The identity-admin pages indexed, each as PATH@COMMIT of MicrosoftDocs/entra-docs: the commit
# its text is read at.
PINS = """
docs/id-protection/concept-identity-protection-risks.md@00209f1630370e118c5f659f73c2ffd4e12899f3
docs/id-protection/concept-risk-detection-types.md@054972ea4de01cf8579041ebde52f1bc1771c601
docs/id-protection/overview-identity-protection.md@0a82c269af41f576801ce143ea156b7f6f609164
docs/identity/authentication/how-to-mfa-number-match.md@0563131bd7c0a437765a23563ea67d5cf312d20c
docs/identity/authentication/howto-authentication-temporary-access-pass.md@15730cf6c6088cb1aa101c2348f5dc1e4a5b4c6d
docs/identity/role-based-access-control/security-emergency-access.md@0221316112aa682a8cfb2d1148dc20b352b788f7
docs/identity/conditional-access/howto-conditional-access-policy-risk.md@15730cf6c6088cb1aa101c2348f5dc1e4a5b4c6d
docs/identity/conditional-access/concept-conditional-access-report-only.md@00f0c0f584099958ca1711ee1819dcbf8bc8edf4
docs/identity/conditional-access/block-legacy-authentication.md@15730cf6c6088cb1aa101c2348f5dc1e4a5b4c6d
docs/identity/conditional-access/concept-session-lifetime.md@0039785a54a793f81c37269d3c26b2c56caad568
docs/identity/conditional-access/concept-continuous-access-evaluation.md@016d85be6f553c8f5920799c629a4f68130a5923
docs/identity/enterprise-apps/configure-user-consent.md@02e1af044b2dc1ae9d2f17f0ef53bab0056db017
docs/identity/authentication/concept-authentication-strengths.md@09f9abda1665cc9145133bae7e0e798635a6510c
docs/fundamentals/security-defaults.md@00c0f71916bc14e0208205b310f1a3adb4718ca0
docs/identity/monitoring-health/reference-reports-data-retention.md@1572fe184988aa12bb24775caf814f94d36f2981
docs/identity/conditional-access/location-condition.md@15730cf6c6088cb1aa101c2348f5dc1e4a5b4c6d
docs/id-governance/privileged-identity-management/pim-configure.md@07cd7acd04259449a361903c29dbb8b442402a88
docs/id-governance/what-are-lifecycle-workflows.md@02af342ab2bedde4f4b23cc008ae182889d338da
docs/identity/authentication/concept-sspr-howitworks.md@00ac222ac56195b782357392c1cbe8d0be7250db
docs/identity/app-provisioning/user-provisioning.md@0596ed5741a1a56ff693666af21ef27e34386453
"""
PINNED_PAGES: dict[str, str] = dict(pin.split("@") for pin in PINS.split())

PageReader = Callable[[str, str], str]


def git_reader(git_dir: Path) -> PageReader:
    """Pages read from a clone of the repository, each at its pinned commit."""

    def read(path: str, commit: str) -> str:
        shown = subprocess.run(
            ["git", f"--git-dir={git_dir}", "show", f"{commit}:{path}"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        return shown.stdout

    return read


def folder_reader(folder: Path) -> PageReader:
    """Pages read from files laid out by repository path (taken as the pinned versions)."""
    return lambda path, _commit: (folder / path).read_text(encoding="utf-8")


def build(read: PageReader, output: Path, pages: dict[str, str] = PINNED_PAGES) -> int:
    """Split every pinned page into sections and write the index file; the section count."""
    sections: list[DocSection] = []
    pins = []
    for path, commit in sorted(pages.items()):
        markdown = read(path, commit)
        sections.extend(split_page(path, commit, markdown))
        digest = hashlib.sha256(markdown.encode("utf-8")).hexdigest()
        pins.append({"path": path, "commit": commit, "sha256": digest, "url": page_url(path)})
    header = {
        "source": REPOSITORY,
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "pages": pins,
    }
    lines = [json.dumps(header)] + [s.model_dump_json() for s in sections]
    # No file name and no time in the gzip header: the same pages give the same bytes.
    with (
        output.open("wb") as file,
        gzip.GzipFile(filename="", fileobj=file, mode="wb", mtime=0) as raw,
    ):
        raw.write(("\n".join(lines) + "\n").encode("utf-8"))
    return len(sections)


def main(argv: list[str] | None = None) -> None:
    """Command line: build the index from a clone (--git-dir) or a folder of pages (--pages)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--git-dir", type=Path, help="a clone of MicrosoftDocs/entra-docs")
    source.add_argument("--pages", type=Path, help="a folder of page files by repository path")
    parser.add_argument("--output", type=Path, default=Path(__file__).parent / INDEX_FILE)
    args = parser.parse_args(argv)
    read = git_reader(args.git_dir) if args.git_dir else folder_reader(args.pages)
    count = build(read, args.output)
    print(f"{count} sections of {len(PINNED_PAGES)} pages -> {args.output}")


if __name__ == "__main__":
    main()
