"""Package ``__init__``s export their API lazily and still answer like the eager ones did."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

LAZY_PACKAGES = ("patentreach.indicators", "patentreach.transfers", "patentreach.harmonize", "patentreach.warehouse",
                 "patentreach.warehouse.engines", "patentreach.sources")


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_every_name_in_all_resolves(package):
    module = importlib.import_module(package)
    missing = [name for name in module.__all__ if getattr(module, name, None) is None]
    assert missing == []
    assert set(module.__all__) <= set(dir(module))


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_importing_a_package_loads_no_engine(package):
    loaded = _run(f"import sys, {package}; "
                  "print(','.join(m for m in ('ibis', 'duckdb', 'splink', 'pyarrow') if m in sys.modules))")
    assert loaded == ""


def test_a_name_is_imported_on_first_use_only():
    assert _run("import sys; from patentreach.indicators import OutboundSpec; "
                "print('patentreach.indicators.run' in sys.modules, 'ibis' in sys.modules)") == "False False"
    assert _run("import sys; from patentreach.indicators import outbound; "
                "print('patentreach.indicators.run' in sys.modules, outbound.__module__)") == (
        "True patentreach.indicators.run"
    )


@pytest.mark.parametrize(("package", "name"), [
    ("patentreach.harmonize", "harmonize"),
    ("patentreach.harmonize", "search"),
    ("patentreach.indicators", "outbound_table"),
    ("patentreach.indicators", "records_table"),
    ("patentreach.indicators", "indicator_set"),
])
def test_a_function_named_like_its_module_stays_the_function_after_the_module_is_imported(package, name):
    # The eager __init__ always exported the function; importing the submodule first must not change that.
    assert _run(f"import importlib, inspect; importlib.import_module('{package}.{name}'); "
                f"from {package} import {name}; print(inspect.isfunction({name}))") == "True"


def test_the_readers_are_listed_once_loaded():
    from patentreach.sources import SOURCES, source_named

    assert len(SOURCES) == 15  # + patstat, + USPTO maintenance-fee events
    assert source_named(SOURCES[0].name) is SOURCES[0]


def test_submodules_still_import_through_the_package():
    from patentreach.warehouse import ingest_log

    assert ingest_log.__name__ == "patentreach.warehouse.ingest_log"


def test_an_unknown_name_is_an_attribute_error_naming_the_package():
    import patentreach.indicators

    with pytest.raises(AttributeError, match=r"module 'patentreach\.indicators' has no attribute 'no_such_name'"):
        _ = patentreach.indicators.no_such_name
