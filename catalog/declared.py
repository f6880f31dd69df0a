"""The catalog is declared in code but is input all the same: a mistake in it is reported, never a traceback."""

from typing import Any

from pydantic import ValidationError

from catalog.tables import FoundationalCatalog
from models.validation import explain


class CatalogError(ValueError):
    """A catalog declaration the program refuses; the message names the file, the table and the column."""


def declared_catalog(document: dict[str, Any], where: str) -> FoundationalCatalog:
    """The validated catalog, or a CatalogError saying where and what is wrong."""
    try:
        return FoundationalCatalog.model_validate(document)
    except ValidationError as error:
        raise CatalogError(f"{where}: {explain(error, show_input=False)}") from None
