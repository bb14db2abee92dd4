"""Sample inputs for ``patentreach protect gaps`` and the demo (a package so that its CSV files ship
in the wheel with the rest of the package data)."""
