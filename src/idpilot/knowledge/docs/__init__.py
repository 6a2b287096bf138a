"""An offline index of Microsoft's Entra documentation (MicrosoftDocs/entra-docs, CC BY 4.0).

`build` makes the shipped file from pinned pages; `sections` splits a page into sections;
`index` loads the file and retrieves sections (BM25 in DuckDB plus the static embedding model).
"""

from idpilot.knowledge.docs.index import DocHit, DocsIndex, default_docs_index
from idpilot.knowledge.docs.sections import DocSection, page_url, split_page

__all__ = ["DocHit", "DocSection", "DocsIndex", "default_docs_index", "page_url", "split_page"]
