"""Form helpers: service errors shown on the right field, and the 422 answer for bad input."""

from __future__ import annotations

from flask_wtf import FlaskForm

from webapp.core.errors import ServiceError
from webapp.core.htmx import render


def show_errors(form: FlaskForm, error: ServiceError) -> None:
    """Put a service's field messages under the matching inputs, the rest above the form."""
    placed = False
    for name, messages in error.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + list(messages)
            placed = True
        else:
            form.form_errors.extend(messages)
            placed = True
    if not placed or not error.fields:
        form.form_errors.append(error.message)


def form_page(template: str, fragment: str, form: FlaskForm, **context):
    """The page (or, for htmx, the form fragment); 422 when a submitted form has errors."""
    has_errors = form.is_submitted() and (bool(form.errors) or bool(form.form_errors))
    return render(template, fragment, status=422 if has_errors else 200, form=form, **context)
