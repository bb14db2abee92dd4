"""The survey instrument: the XLSForm workbooks (package data) and their loader.

``holder.xlsx`` is the enterprise questionnaire (unit: patent-holding enterprise), ``patent.xlsx``
the patent questionnaire (unit: a patent sampled within a responding enterprise). Both are built
by ``scripts/survey/build_forms.py`` from readable definitions; edit those, not the workbooks.
"""

from patentreach.survey.instrument.form import (
    BUNDLED_FORMS,
    Choice,
    Field,
    Form,
    FormError,
    bundled_form_path,
    load_form,
    to_xform,
)

__all__ = [
    "BUNDLED_FORMS",
    "Choice",
    "Field",
    "Form",
    "FormError",
    "bundled_form_path",
    "load_form",
    "to_xform",
]
