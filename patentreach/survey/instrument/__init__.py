"""The survey instrument: the XLSForm workbooks (package data) and their loader.

``holder.xlsx`` is the enterprise questionnaire (unit: patent-holding enterprise), ``patent.xlsx``
the patent questionnaire (unit: a patent sampled within a responding enterprise); the holder form
asks for the export markets one by one in a repeat group (wide columns ``market_1_country`` ...,
see :mod:`form`). Both are built
by ``scripts/survey/build_forms.py`` from readable definitions; edit those, not the workbooks.
"""

from patentreach.survey.instrument.form import (
    BUNDLED_FORMS,
    MAX_INSTANCES,
    Choice,
    Field,
    Form,
    FormError,
    Repeat,
    Slot,
    bundled_form_path,
    load_form,
    to_xform,
)

__all__ = [
    "BUNDLED_FORMS",
    "MAX_INSTANCES",
    "Choice",
    "Field",
    "Form",
    "FormError",
    "Repeat",
    "Slot",
    "bundled_form_path",
    "load_form",
    "to_xform",
]
