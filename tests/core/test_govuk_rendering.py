"""The GOV.UK components render as the package's own templates do, only quicker (issue 15, ADR 0042).

Every page renders GOV.UK Frontend's Jinja macros, and a filter form's select of eighty employers cost over two
milliseconds. Three changes make them quicker without changing what they say: ``a.b`` on a plain dict no longer
raises and catches an exception before reading the key, ``govukAttributes`` is a Python function, and so is the
loop over a select's options. These tests render every component Threshold uses both ways (the package's
templates under Jinja's stock environment, and Threshold's) and compare the HTML, whitespace between attributes
aside (the package's macro leaves stray spaces inside tags).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import engines
from jinja2 import Environment, PackageLoader, PrefixLoader, Undefined
from markupsafe import Markup

from threshold import govuk_components
from threshold.govuk_components import GovukEnvironment, govuk_attributes

# The package's templates as they ship, in Jinja's own environment (none of Threshold's replacements): what
# Threshold's rendering is held to.
PACKAGE = Environment(
    loader=PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}),
    autoescape=True,
)


def _ours() -> Environment:
    return engines["jinja2"].env  # type: ignore[attr-defined]


def _normalised(html: str) -> str:
    """The HTML with each run of whitespace made one space, and none just inside a tag's closing bracket."""
    return re.sub(r"\s+>", ">", re.sub(r"\s+", " ", html)).strip()


def _render(environment: Environment, source: str, **context: Any) -> str:
    return environment.from_string(source).render(**context)


ATTRIBUTES = [
    None,
    "",
    {},
    'data-module="govuk-button"',
    {"data-module": "govuk-button"},
    {"aria-hidden": True, "hidden": False},
    {"lang": None, "title": 0, "tabindex": ""},
    {"spellcheck": {"value": True, "optional": True}},
    {"spellcheck": {"value": False, "optional": True}},
    {"autocomplete": {"value": None, "optional": True}},
    {"autocomplete": {"value": "", "optional": True}},
    {"autocomplete": {"optional": True}},
    {"autocomplete": {"value": "off"}},
    {"data-x": {"optional": False}},
    {"data-x": {"val": "wrapped"}},
    {"data-x": {"val": None}},
    {"title": '<script>alert("x")</script> & more', "data-<odd>": "1"},
    {"title": Markup("<b>already safe</b>")},
]


@pytest.mark.parametrize("attributes", ATTRIBUTES, ids=[repr(a) for a in ATTRIBUTES])
def test_govuk_attributes_in_python_says_what_the_macro_says(attributes: Any) -> None:
    macro = _render(
        PACKAGE,
        '{% from "govuk_frontend_jinja/macros/attributes.html" import govukAttributes %}<x{{ govukAttributes(a) }}>',
        a=attributes,
    )
    assert _normalised(f"<x{govuk_attributes(attributes)}>") == _normalised(macro)


def test_the_components_import_the_python_attributes() -> None:
    module = _ours().get_template("govuk_frontend_jinja/macros/attributes.html").module
    assert module.govukAttributes is govuk_attributes  # type: ignore[attr-defined]


def test_the_select_writes_its_options_in_python() -> None:
    loader = _ours().loader
    assert loader is not None
    source = loader.get_source(_ours(), "govuk_frontend_jinja/components/select/macro.html")[0]
    assert "govuk_select_options(params)" in source
    assert "{% for item in params['items'] %}" not in source


def test_an_upgrade_that_changes_the_select_stops_threshold_starting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(govuk_components, "_SELECT_OPTIONS_LOOP", "{% for option in params.options %}")
    with pytest.raises(ImproperlyConfigured, match="no longer has the options loop"):
        govuk_components.govuk_loader()


def test_an_upgrade_that_changes_the_attributes_macro_stops_threshold_starting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(govuk_components, "_ATTRIBUTES_MACRO_SHA256", "0" * 64)
    with pytest.raises(ImproperlyConfigured, match="is not the one"):
        govuk_components.govuk_loader()


def test_an_undefined_attributes_parameter_writes_nothing() -> None:
    assert govuk_attributes(Undefined(name="attributes")) == ""


COMPONENTS = {
    "select": (
        "select",
        "govukSelect",
        {
            "id": "filter-employer",
            "name": "employer",
            "label": {"text": "Employer", "classes": "govuk-label--s"},
            "hint": {"text": "Where the adult works"},
            "errorMessage": {"text": "Choose an employer"},
            "attributes": {"data-test": "x"},
            "items": [{"value": "", "text": "Any"}]
            + [{"value": str(n), "text": f"School {n} & <annexe>", "selected": n == 3} for n in range(1, 9)]
            + [{"value": "x", "text": "Closed", "disabled": True, "attributes": {"data-closed": "yes"}}],
        },
    ),
    "select chosen by value": (
        "select",
        "govukSelect",
        {
            "name": "kind",
            "label": {"html": Markup("Kind <em>of step</em>")},
            "value": "Strategy meeting",
            "items": [
                {"text": "Strategy meeting"},
                {"value": "Strategy meeting", "text": "Also that, but told not to be", "selected": False},
                {"value": True, "text": "A boolean value"},
                {"value": None, "text": "No value"},
                {},
                None,
                {"value": "review", "text": Markup("<b>Review</b>"), "selected": None},
            ],
        },
    ),
    "select with no items": ("select", "govukSelect", {"name": "empty", "label": {"text": "Empty"}, "items": []}),
    "date input": (
        "date-input",
        "govukDateInput",
        {
            "id": "from",
            "namePrefix": "from",
            "fieldset": {"legend": {"text": "From", "classes": "govuk-fieldset__legend--s"}},
            "hint": {"text": "For example, 27 3 2026"},
            "errorMessage": {"text": "Enter a real date"},
            "items": [
                {"name": "day", "classes": "govuk-input--width-2 govuk-input--error", "value": "31"},
                {"name": "month", "classes": "govuk-input--width-2", "value": "2"},
                {"name": "year", "classes": "govuk-input--width-4", "value": "2026"},
            ],
        },
    ),
    "input": (
        "input",
        "govukInput",
        {
            "id": "name",
            "name": "name",
            "label": {"text": "Their name", "isPageHeading": True, "classes": "govuk-label--l"},
            "value": 'O\'Brien "Bob"',
            "spellcheck": False,
            "autocomplete": "off",
            "prefix": {"text": "£"},
            "inputWrapper": {"attributes": {"data-wrap": "1"}},
        },
    ),
    "checkboxes": (
        "checkboxes",
        "govukCheckboxes",
        {
            "idPrefix": "filter-overdue",
            "name": "overdue",
            "classes": "govuk-checkboxes--small",
            "fieldset": {"legend": {"text": "Timescales"}},
            "items": [
                {"value": "on", "text": "Overdue only", "checked": True, "hint": {"text": "Past their day"}},
                {"divider": "or"},
                {"value": "none", "text": "None", "behaviour": "exclusive"},
            ],
        },
    ),
    "summary list": (
        "summary-list",
        "govukSummaryList",
        {
            "card": {"title": {"text": "The adult"}, "actions": {"items": [{"href": "/x", "text": "Change"}]}},
            "attributes": {"data-card": "adult"},
            "rows": [
                {
                    "key": {"text": "Name"},
                    "value": {"text": "A <b>name</b>"},
                    "actions": {"items": [{"href": "/n", "text": "Change", "visuallyHiddenText": "name"}]},
                },
                {
                    "key": {"text": "Born"},
                    "value": {"html": Markup("<p>1 May 1980</p>")},
                    "classes": "govuk-summary-list__row--no-actions",
                },
            ],
        },
    ),
    "back link": ("back-link", "govukBackLink", {"href": "/back?a=1&b=2", "text": "Back", "attributes": {"id": "b"}}),
    "warning text": ("warning-text", "govukWarningText", {"text": "Do not share this", "iconFallbackText": "Warning"}),
    "radios": (
        "radios",
        "govukRadios",
        {
            "name": "level",
            "fieldset": {"legend": {"text": "Decision", "isPageHeading": True}},
            "errorMessage": {"text": "Choose a decision"},
            "items": [
                {"value": "consultation", "text": "Consultation", "checked": True, "hint": {"text": "Advice only"}},
                {"value": "tier-1", "text": "Tier 1", "conditional": {"html": Markup("<p>More</p>")}},
                {"divider": "or"},
                {"value": "other", "text": "Other", "disabled": True, "attributes": {"data-x": "1"}},
            ],
        },
    ),
    "textarea": (
        "textarea",
        "govukTextarea",
        {"name": "summary", "id": "summary", "label": {"text": "Summary"}, "value": "Line one\n<two>", "rows": 8},
    ),
    "error summary": (
        "error-summary",
        "govukErrorSummary",
        {
            "titleText": "There is a problem",
            "errorList": [{"text": "Enter a name", "href": "#name"}, {"text": "No link"}],
        },
    ),
    "tag": ("tag", "govukTag", {"text": "Overdue", "classes": "govuk-tag--red", "attributes": {"title": "late"}}),
    "inset text": ("inset-text", "govukInsetText", {"html": Markup("<p>Kept <em>apart</em></p>")}),
    "details": ("details", "govukDetails", {"summaryText": "Why?", "text": "Because", "open": True}),
    "panel": (
        "panel",
        "govukPanel",
        {"titleText": "Concern shared", "html": Markup("Reference <strong>CT-1</strong>")},
    ),
    "pagination": (
        "pagination",
        "govukPagination",
        {
            "previous": {"href": "?page=1"},
            "next": {"href": "?page=3"},
            "items": [
                {"number": 1, "href": "?page=1"},
                {"number": 2, "href": "?page=2", "current": True},
                {"ellipsis": True},
            ],
        },
    ),
    "file upload": (
        "file-upload",
        "govukFileUpload",
        {"name": "file", "id": "file", "label": {"text": "Upload a file"}},
    ),
    "password input": ("password-input", "govukPasswordInput", {"name": "password", "label": {"text": "Password"}}),
    "notification banner": (
        "notification-banner",
        "govukNotificationBanner",
        {"type": "success", "text": "Saved", "attributes": {"data-saved": True}},
    ),
    "service navigation": (
        "service-navigation",
        "govukServiceNavigation",
        {
            "serviceName": "Threshold",
            "serviceUrl": "/",
            "navigation": [{"href": "/", "text": "Home", "active": True}, {"href": "/work", "text": "My work"}],
        },
    ),
    "button": (
        "button",
        "govukButton",
        {"text": "Filter", "classes": "govuk-button--secondary", "preventDoubleClick": True},
    ),
}


@pytest.mark.parametrize("component", COMPONENTS.values(), ids=COMPONENTS.keys())
def test_each_component_renders_as_the_package_renders_it(component: tuple[str, str, dict[str, Any]]) -> None:
    folder, macro, params = component
    source = f'{{% from "govuk_frontend_jinja/components/{folder}/macro.html" import {macro} %}}{{{{ {macro}(p) }}}}'
    ours = _render(_ours(), source, p=params)
    assert 'class="govuk-' in ours
    assert _normalised(ours) == _normalised(_render(PACKAGE, source, p=params))


LOOKUPS = [
    ({"label": "Employer"}, "label"),
    ({"items": [1, 2]}, "items"),  # a dict's own method wins, as in Jinja: templates write params['items']
    ({"get": "key"}, "get"),
    ({}, "missing"),
    ({"__class__": "key"}, "__class__"),
    (type("Mapped", (dict,), {"label": "attribute"})(label="key"), "label"),
    (type("Thing", (), {"label": "attribute"})(), "label"),
    (["a"], "missing"),
]


@pytest.mark.parametrize(("obj", "name"), LOOKUPS, ids=[f"{type(o).__name__}.{n}" for o, n in LOOKUPS])
def test_reading_a_dict_by_attribute_finds_what_jinja_would(obj: Any, name: str) -> None:
    stock = Environment(autoescape=True).getattr(obj, name)
    quick = GovukEnvironment(autoescape=True).getattr(obj, name)
    if isinstance(stock, Undefined):
        assert isinstance(quick, Undefined)
        assert str(quick) == ""
    else:
        assert quick == stock
