"""The micro-credential catalogue: providers' records and their lifecycle (draft -> published ->
retired, one row per version), the fields people enter, CSV/JSON import and export, the hub's
search and full-text index, quality reviews of versions, the Open Badges documents of a
record, and the glossary.

Outside the package, import a named submodule (`from app.services.catalogue import lifecycle`)
or the names below.
"""

from app.services.catalogue import (
    documents,
    fields,
    glossary,
    import_export,
    lifecycle,
    quality,
    search,
    search_index,
    suggestions,
)
from app.services.catalogue.import_export import CatalogueImportError
from app.services.catalogue.lifecycle import CatalogueError, level_from_scqf
from app.services.catalogue.quality import QualityReviewError

__all__ = [
    "CatalogueError",
    "CatalogueImportError",
    "QualityReviewError",
    "documents",
    "fields",
    "glossary",
    "import_export",
    "level_from_scqf",
    "lifecycle",
    "quality",
    "search",
    "search_index",
    "suggestions",
]
