"""GOV.UK Frontend's Jinja components, rendered as the package renders them but quicker (issue 15).

A filter form's select of eighty employers cost over two milliseconds to render: a tenth of the page. Three
changes, each giving the package's own HTML (whitespace between attributes aside), which
``tests/core/test_govuk_rendering.py`` holds them to by rendering every component both ways:

- ``GovukEnvironment`` reads ``params.label`` on a plain dict without raising and catching an exception;
- ``govukAttributes``, which every component calls for each element, is the Python ``govuk_attributes``;
- a select's options are written by ``govuk_select_options``, in place of the loop in the package's template.

``govuk_loader`` serves the package's templates with these two replaced. Everything else is the package's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from jinja2 import BaseLoader, ChoiceLoader, DictLoader, Environment, PackageLoader, Undefined
from markupsafe import Markup, escape

_MISSING = object()


def _given(value: Any) -> bool:
    """Whether a template would call the value defined (neither missing nor Jinja's ``Undefined``)."""
    return value is not _MISSING and not isinstance(value, Undefined)


def govuk_attributes(attributes: Any) -> Markup:
    """GOV.UK Frontend's ``govukAttributes`` macro in Python: ` name="value"` for each attribute, escaped.

    Every component calls the macro for each of its elements (each option of a select, each input of a date), a
    hundred times a page or more, and a Jinja macro call costs some 25 microseconds. This gives the macro's
    output, less the stray whitespace its template leaves between attributes
    (``tests/core/test_govuk_rendering.py`` compares the two). A string is passed through as it is; a mapping's
    value may be a plain value (a boolean as ``true``/``false``) or ``{"value": ..., "optional": True}``, which is
    left out when None, false or undefined and written as a bare name when true.
    """
    if isinstance(attributes, str):
        # As the package does: a string is the template author's own HTML, never a user's value.
        return Markup(attributes)  # noqa: S704
    if not attributes or not isinstance(attributes, Mapping):
        return Markup("")
    html = ""
    for name, value in attributes.items():
        # The package unwraps a ``{"val": ...}`` that Nunjucks' ``safe`` filter leaves (govuk-frontend #4937).
        if isinstance(value, Mapping) and _given(value.get("val", _MISSING)):
            value = value["val"]
        if isinstance(value, Mapping):
            shown, optional = value.get("value", _MISSING), value.get("optional", _MISSING)
        else:
            shown, optional = (str(value).lower() if isinstance(value, bool) else value), False
        if optional is True and shown is True:
            html += f" {escape(name)}"
        elif optional is not True or (_given(shown) and shown is not None and shown is not False):
            html += f' {escape(name)}="{escape("" if shown is _MISSING else shown)}"'
    return Markup(html)  # noqa: S704 - every name and value in it is escaped above


# What ``getattr`` finds on a plain dict: its methods and the object protocol. Any other name can only be a key.
_DICT_ATTRIBUTES = frozenset(dir({}))


class GovukEnvironment(Environment):
    """Jinja2's environment, with ``a.b`` on a plain dict looked up without raising and catching an exception.

    The GOV.UK macros read their parameters as ``params.label.text``: dicts, for which Jinja first tries
    ``getattr`` and, when that raises ``AttributeError``, the key. A select of 80 options made over 2,000 such
    failed lookups a page, about a quarter of its rendering time. For a plain dict the answer is the same without
    the exception: a dict instance's attributes are exactly its type's, so any other name is a key or undefined.
    Everything else (models, forms, dict subclasses) goes through Jinja's own lookup.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``obj.attribute`` in a template: the attribute, else the item, else undefined (as Jinja's)."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            value = obj.get(attribute, _MISSING)
            return self.undefined(obj=obj, name=attribute) if value is _MISSING else value
        return super().getattr(obj, attribute)


def govuk_select_options(params: Mapping[str, Any]) -> Markup:
    """The ``<option>`` elements of a ``govukSelect``, as the package's template writes them.

    Each item is a dict (``select_items`` makes them). An option is selected when its item says so, or when the
    select's ``value`` equals the item's value (its text when it has none) and the item does not say
    ``"selected": False``. An item without a value has no ``value`` attribute (the browser then sends its text);
    an empty item is skipped.
    """
    items = params.get("items")
    if not items:
        return Markup("")
    chosen = params.get("value")
    options = []
    for item in items:
        if not item:
            continue
        value = item.get("value", _MISSING)
        html = "<option"
        if _given(value):
            html += f' value="{escape(str(value).lower() if isinstance(value, bool) else value)}"'
        selected = item.get("selected")
        effective = value if _given(value) else item.get("text")
        if selected or (chosen and effective == chosen and selected is not False):
            html += " selected"
        if item.get("disabled"):
            html += " disabled"
        text = item.get("text", "")
        options.append(
            f"{html}{govuk_attributes(item.get('attributes'))}>{escape('' if not _given(text) else text)}</option>"
        )
    return Markup("\n".join(options))  # noqa: S704 - every value and text in it is escaped above


# The package's loop over a select's items (``components/select/macro.html``), which ``govuk_loader`` replaces.
_SELECT_OPTIONS_LOOP = (
    "    {% if 'items' in params and params['items'] | length %}\n"
    "      {% for item in params['items'] %}\n"
    "        {% if item %}\n"
    "        {#- Allow selecting by text content (the value for an option when no value"
    " attribute is specified) #}\n"
    "        {%- set effectiveValue = item.value | default(item.text) %}\n"
    '        <option {%- if item.value is not undefined %} value="{{ item.value | string |'
    ' lower if item.value is boolean else item.value }}"{% endif %}\n'
    '          {{-" selected" if item.selected | default((effectiveValue == params.value and'
    " item.selected is not false) if params.value else false, true) }}\n"
    '          {{-" disabled" if item.disabled }}\n'
    "          {{- govukAttributes(item.attributes) }}>\n"
    "          {{- item.text -}}\n"
    "        </option>\n"
    "        {% endif %}\n"
    "      {% endfor %}\n"
    "    {% endif %}\n"
)


# The SHA-256 of the package's ``macros/attributes.html`` that ``govuk_attributes`` was written from
# (govuk-frontend-jinja 4.1.0), which ``govuk_loader`` replaces whole.
_ATTRIBUTES_MACRO_SHA256 = "482f5ee47cdbd7da6f6dfc08237c750e864c430ce3ecdfb637bb7a027ba39a4d"


def govuk_loader() -> BaseLoader:
    """The package's templates, with ``govukAttributes`` and a select's options loop in Python.

    The select keeps the package's own template but for the loop, found by its exact text; the attributes macro
    is replaced whole, so its text must be the one ``govuk_attributes`` was written from. If an upgrade of the
    package changes either, starting Threshold fails here rather than rendering a different way.
    """
    package = PackageLoader("govuk_frontend_jinja", "templates")
    source = Environment(autoescape=True)
    attributes, _, _ = package.get_source(source, "macros/attributes.html")
    if hashlib.sha256(attributes.encode()).hexdigest() != _ATTRIBUTES_MACRO_SHA256:
        raise ImproperlyConfigured(
            "govuk-frontend-jinja's govukAttributes (macros/attributes.html) is not the one "
            "threshold.govuk_components.govuk_attributes was written from: compare the two, then update "
            "_ATTRIBUTES_MACRO_SHA256"
        )
    select, _, _ = package.get_source(source, "components/select/macro.html")
    if _SELECT_OPTIONS_LOOP not in select:
        raise ImproperlyConfigured(
            "govuk-frontend-jinja's select (components/select/macro.html) no longer has the options loop "
            "threshold.govuk_components replaces: compare it with govuk_select_options"
        )
    overrides = {
        "macros/attributes.html": "{% set govukAttributes = govuk_attributes %}",
        "components/select/macro.html": select.replace(
            _SELECT_OPTIONS_LOOP, "    {{ govuk_select_options(params) }}\n"
        ),
    }
    return ChoiceLoader([DictLoader(overrides), package])
