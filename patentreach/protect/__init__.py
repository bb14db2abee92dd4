"""Export protection gaps: where an enterprise exports without patent protection, which routes to
protection are still open and until when, what the official fees would roughly be, and whose
patents are in force there (issue 8; ``docs/protect.md``).

The library face is small:

* ``read_portfolio(path)`` / ``read_entity_portfolio(warehouse, entity_id)`` and
  ``read_markets(path, families)``: validated inputs (``InputError`` lists every problem);
* ``gaps(portfolio, markets, as_of, warehouse=..., fees=...)``: the ``GapReport``;
* ``report_dict``, ``write_workbook``, ``deadline_calendar``: JSON, XLSX and iCalendar outputs;
* ``add_months`` (PCT Rule 80.2) and ``next_working_day`` (Rule 80.5), the date rules;
* ``protect_demo(out_dir)``: the part of ``patentreach demo`` that runs the packaged sample.
"""

from patentreach.protect.calendar_export import deadline_calendar
from patentreach.protect.demo import SAMPLE_AS_OF, protect_demo, sample_path, sample_report
from patentreach.protect.entity_portfolio import EntityError, read_entity_portfolio
from patentreach.protect.gap_report import GapReport, gaps
from patentreach.protect.input_tables import InputError
from patentreach.protect.markets import ExportMarkets, read_markets
from patentreach.protect.month_arithmetic import add_months, add_years
from patentreach.protect.portfolio import Family, Filing, Portfolio, read_portfolio
from patentreach.protect.report_data import report_dict
from patentreach.protect.workbook import write_workbook
from patentreach.protect.working_days import next_working_day

__all__ = [
    "SAMPLE_AS_OF",
    "EntityError",
    "ExportMarkets",
    "Family",
    "Filing",
    "GapReport",
    "InputError",
    "Portfolio",
    "add_months",
    "add_years",
    "deadline_calendar",
    "gaps",
    "next_working_day",
    "protect_demo",
    "read_entity_portfolio",
    "read_markets",
    "read_portfolio",
    "report_dict",
    "sample_path",
    "sample_report",
    "write_workbook",
]
