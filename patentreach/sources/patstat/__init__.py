"""PATSTAT Global bulk CSV delivery (EPO): one table per set of part files, read as ONE delivery.

A PATSTAT delivery is not a file of records but a database dump: a publication's parties, classes
and legal events sit in other tables (and other part files) than the publication itself. So this
reader does not cut units: the warehouse recognises the part files by their header line
(``sniff``), groups them into one delivery (``patentreach.warehouse.table_delivery``), and maps
the tables with DuckDB SQL (``patentreach.sources.patstat.mapping``), never row by row in Python.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, ClassVar

from patentreach.sources.base import Parsed, Sniff, Source, Unit
from patentreach.sources.patstat.tables import header_columns, table_of_header

READER_NAME = "patstat"


class PatstatDeliveryOnly(RuntimeError):
    """A PATSTAT part reached the per-file path; it must be read with its delivery."""


class PatstatCsv(Source):
    name: ClassVar[str] = READER_NAME
    reader_version: ClassVar[str] = "1.0"
    description: ClassVar[str] = "EPO PATSTAT Global bulk CSV delivery (tls201, tls206, tls207, tls209, tls211, ...)"
    reads_table_deliveries: ClassVar[bool] = True  # no units: warehouse.table_delivery reads it

    def sniff(self, head: bytes) -> Sniff | None:
        """Claims a file whose header line is a PATSTAT table's; the version is the table name."""
        columns = header_columns(head)
        table = table_of_header(columns) if columns else None
        return Sniff(1.0, table.name) if table else None

    def units(self, stream: BinaryIO) -> Iterator[Unit]:
        raise PatstatDeliveryOnly("a PATSTAT table is read with the other tables of its delivery, not on its own")

    def parse(self, unit: Unit, source_file: str) -> Parsed:
        raise PatstatDeliveryOnly("a PATSTAT table is read with the other tables of its delivery, not on its own")
