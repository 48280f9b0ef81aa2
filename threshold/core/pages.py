"""The one way a page changes a record: fetched for the change, a form, a service, then back to the record.

``form_page`` shows the form (an audited read of the record), hands a valid
form to the service, puts a service's ``ValidationError`` beside the fields,
and answers a ``ConflictError`` (someone else saved first) with the same form
under the conflict notice: what is now saved beside what the person entered,
their entries still in the fields, nothing saved. ``conflict_page`` is the same
notice for a button that has no form to show again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.utils import pretty_name
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone

from threshold.core.errors import ConflictError
from threshold.core.forms import apply_validation_error

R = TypeVar("R", bound=Model)

# Fields the conflict notice never compares: how the form travels, not what it says.
NOT_COMPARED = frozenset({"version", "submission", "csrfmiddlewaretoken"})


@dataclass(frozen=True)
class Difference:
    """One row of the conflict notice: a detail, as now saved and as the person entered it."""

    label: str
    saved: str
    entered: str


def form_page(
    request: HttpRequest,
    record: R,
    *,
    make_form: Callable[[R, Any], Any],
    save: Callable[[Any], object],
    template: str,
    message: str | Callable[[Any], str],
    redirect_to: str | Callable[[Any], str],
    context: Mapping[str, Any] | Callable[[Any], Mapping[str, Any]] | None = None,
    redisplay: Callable[[Any], Any] | None = None,
    refetch: Callable[[], R] | None = None,
    conflict_heading: str = "",
) -> HttpResponse:
    """Show, check and save a form that changes ``record`` (already fetched through access for the change).

    ``make_form(record, data)`` builds the form (``data`` is None for a GET);
    ``save(form)`` calls the one service; ``redirect_to`` is where a success
    goes; it and the success ``message`` may be functions of what ``save``
    returned. ``redisplay`` may turn a
    POST into the same form shown again without saving (an "add another row"
    button that works without JavaScript). ``context`` adds to the page's
    context (or a function of the form). ``refetch`` reloads the record as it
    is now for the conflict notice, when the service's ``ConflictError``
    carries something other than the record itself. ``conflict_heading``
    names what the other person did, where "Someone else changed this after
    you opened the form" says too little.
    """
    data = request.POST if request.method == "POST" else None
    again = redisplay(request.POST) if redisplay is not None and data is not None else None
    form = again if again is not None else make_form(record, data)
    status = 200
    extra: dict[str, Any] = {}
    valid = again is None and data is not None and form.is_valid()
    if again is None and data is not None and "version" in form.errors:
        # A form that lost the version it was loaded with cannot show it was loaded after the last change.
        current = refetch() if refetch is not None else record
        form, extra = _form_again(request, form, current, make_form, conflict_heading)
        status = 409
    elif valid:
        try:
            result = save(form)
        except ValidationError as error:
            _apply_errors(form, error)
        except ConflictError as conflict:
            current = refetch() if refetch is not None else conflict.current
            form, extra = _form_again(request, form, current, make_form, conflict_heading)
            status = 409
        else:
            messages.success(request, message(result) if callable(message) else message)
            return HttpResponseRedirect(redirect_to(result) if callable(redirect_to) else redirect_to)
    more = context(form) if callable(context) else (context or {})
    return render(request, template, {"form": form, **more, **extra}, status=status)


def _apply_errors(form: Any, error: ValidationError) -> None:
    """Put a service's errors beside the form's fields: its own ``apply_errors``, or the shared placing."""
    if hasattr(form, "apply_errors"):
        form.apply_errors(error)
    else:
        apply_validation_error(form, error, getattr(form, "error_field", None))


def _form_again(
    request: HttpRequest, entered: Any, current: Model, make_form: Callable[[Any, Any], Any], heading: str = ""
) -> tuple[Any, dict[str, Any]]:
    """The form bound to what the person typed, at the version now saved, and the notice's differences.

    The version now saved is the one the form would be loaded with today (its
    initial ``version``), so a form about a record's sub-record (a concern's
    low-level record) moves on to that row's version, not its parent's.
    """
    saved_form = make_form(current, None)
    rows = differences(entered, saved_form.initial)
    data = request.POST.copy()
    data["version"] = str(saved_form.initial.get("version", getattr(current, "version", data.get("version", ""))))
    again = make_form(current, data)
    again.is_valid()  # binds the fields, so the typed text is shown back in them
    return again, {"conflict": {"rows": rows, "heading": heading}}


def differences(entered: Any, saved: Mapping[str, Any]) -> list[Difference]:
    """What the person entered that differs from what is now saved, field by field, in the form's own labels.

    A GOV.UK date input (three boxes, ``DATES`` on the form) is one row, the
    date in words, where its day box stands in the form.
    """
    rows = []
    cleaned = getattr(entered, "cleaned_data", {})
    dates = getattr(entered, "DATES", {}) or {}
    boxes = {f"{date}_{part}": date for date in dates for part in ("day", "month", "year")}
    for name, field in entered.fields.items():
        if name in boxes:
            date = boxes[name]
            if name == f"{date}_day" and date in cleaned:
                now, mine = _comparable(_saved_date(saved, date)), _comparable(cleaned[date])
                if now != mine:
                    rows.append(Difference(_date_label(dates[date], date), shown(field, now), shown(field, mine)))
            continue
        if name in NOT_COMPARED or name not in cleaned or isinstance(field.widget, forms.HiddenInput):
            continue
        now, mine = _comparable(saved.get(name)), _comparable(cleaned[name])
        if now != mine:
            rows.append(Difference(str(field.label or pretty_name(name)), shown(field, now), shown(field, mine)))
    return rows


def _saved_date(saved: Mapping[str, Any], name: str) -> dt.date | None:
    """A date as now saved: given whole, or in the three boxes a form loaded today would show."""
    value = saved.get(name)
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date(int(saved[f"{name}_year"]), int(saved[f"{name}_month"]), int(saved[f"{name}_day"]))
    except (KeyError, TypeError, ValueError):
        return None


def _date_label(spec: Any, name: str) -> str:
    """A date input's label: the first of a ``CaseForm`` date's pair, or a ``DateSpec``'s ``label``."""
    if isinstance(spec, tuple):
        return str(spec[0])
    return str(getattr(spec, "label", "") or pretty_name(name))


def _comparable(value: Any) -> Any:
    """A value as the comparison sees it: blank is blank whatever its type, model rows by their key."""
    if value in (None, "", [], ()):
        return ""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, dt.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    if isinstance(value, Iterable) and not isinstance(value, str):
        return sorted(_comparable(item) for item in value)
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def shown(field: forms.Field, value: Any) -> str:
    """A value as a person reads it: choices by their names, Yes or No, dates in words, "Not given" for blank."""
    if value == "":
        return "Not given"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(shown(field, item) for item in value)
    choices = dict(getattr(field, "choices", None) or [])
    if choices:
        named = {str(key.value if hasattr(key, "value") else key): label for key, label in choices.items()}
        return str(named.get(str(value), value))
    if isinstance(value, dt.datetime):
        return f"{value.day} {value:%B %Y} at {value:%-I:%M%p}".replace("AM", "am").replace("PM", "pm")
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def conflict_page(
    request: HttpRequest,
    *,
    heading: str,
    rows: Iterable[Difference] = (),
    back: str,
    back_text: str,
    summary: str = "",
) -> HttpResponse:
    """The conflict notice for a button with no form to show again (HTTP 409, nothing saved).

    ``summary`` says in a sentence what the other person did, where a table of differences cannot.
    """
    conflict = {"rows": list(rows), "heading": heading, "summary": summary}
    return render(
        request, "core/conflict.html", {"conflict": conflict, "back": back, "back_text": back_text}, status=409
    )


def form_conflict_page(
    request: HttpRequest, form: Any, current: object, *, heading: str, back: str, back_text: str, summary: str = ""
) -> HttpResponse:
    """The conflict notice for a form not built by ``form_page``: what is saved now beside everything typed.

    Each field is compared with the attribute of the same name on ``current``
    (the record as it is now), so what the person typed is given back to them
    on the page even where the record holds it under another name.
    """
    names = [*getattr(form, "fields", {}), *(getattr(form, "DATES", {}) or {})]
    saved = {name: getattr(current, name, None) for name in names}
    rows = differences(form, saved)
    return conflict_page(request, heading=heading, rows=rows, back=back, back_text=back_text, summary=summary)
