"""Error messages say which field and what to do, in GOV.UK style, everywhere (issue 17).

Tom pastes a whole letter into "Their name" on the share form: he is told "Their name must be 200 characters or
fewer", not Django's "Ensure this value has at most 200 characters (it has 5018)."; Hana leaves the reasons for
three alternatives to suspension blank and is told which alternative each message is about; every form in
Threshold writes its stock messages this way; and every field such a message is written about carries the words
its page shows, so nobody is asked to "Choose one of the options for how arose".
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

import threshold
from tests.concerns.test_pages import _share_form
from threshold.accounts.models import User
from threshold.core.forms import WrittenForm, _defaults, written_messages


def test_toms_overlong_name_is_told_in_words_beside_the_field(signed_in: Any) -> None:
    response = signed_in("tom").post(reverse("concern_share"), _share_form(subject_name="x" * 5018))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Their name must be 200 characters or fewer" in page
    assert "Ensure this value" not in page


def test_the_stock_messages_are_replaced_and_a_forms_own_kept() -> None:
    name = forms.CharField(label="Name", max_length=200)
    assert written_messages("name", name)["max_length"] == "Name must be %(limit_value)d characters or fewer"
    assert written_messages("name", name)["required"] == "Enter name"
    kind = forms.ChoiceField(label="DBS referral", choices=[("a", "A")])
    assert written_messages("kind", kind)["required"] == "Choose DBS referral"
    assert written_messages("kind", kind)["invalid_choice"] == "Choose one of the options for DBS referral"
    count = forms.IntegerField(label="Rows")
    assert written_messages("count", count)["invalid"] == "Rows must be a whole number, like 3"
    own = forms.CharField(label="Details", error_messages={"required": "Enter the details of the concern"})
    assert "required" not in written_messages("details", own)


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def _threshold_forms() -> list[type]:
    """Every form class in Threshold, each module imported so that none is missed."""
    for module in pkgutil.walk_packages(threshold.__path__, "threshold."):
        if ".migrations" not in module.name and ".management" not in module.name:
            importlib.import_module(module.name)
    return sorted(
        (cls for cls in _subclasses(forms.BaseForm) if cls.__module__.startswith("threshold.")),
        key=lambda cls: f"{cls.__module__}.{cls.__name__}",
    )


def test_every_form_in_threshold_writes_its_messages() -> None:
    ours = _threshold_forms()
    assert ours
    stock = sorted(f"{cls.__module__}.{cls.__name__}" for cls in ours if not issubclass(cls, WrittenForm))
    assert not stock, f"These forms keep Django's stock messages: derive them from WrittenForm: {stock}"


def _generated(field: forms.Field) -> list[str]:
    """The messages Django would say of this field that ``written_messages`` writes from its label."""
    stock = _defaults(field)
    could = [
        ("required", field.required),
        ("max_length", bool(getattr(field, "max_length", None))),
        ("invalid_choice", isinstance(field, forms.ChoiceField | forms.ModelChoiceField)),
        ("invalid", isinstance(field, forms.IntegerField | forms.DateField)),
    ]
    return [key for key, applies in could if applies and field.error_messages.get(key) == stock.get(key)]


def test_every_field_a_message_is_written_from_has_the_words_its_page_shows() -> None:
    # Without a label the message is made from the field's name: "Choose one of the options for how arose".
    unlabelled = [
        f"{cls.__module__}.{cls.__name__}.{name} ({', '.join(keys)})"
        for cls in _threshold_forms()
        for name, field in getattr(cls, "base_fields", {}).items()
        if field.label is None and not isinstance(field.widget, forms.HiddenInput) and (keys := _generated(field))
    ]
    assert not unlabelled, f"Give these fields label= (the words their page shows): {unlabelled}"


def test_an_unknown_answer_to_how_the_concern_arose_is_asked_again_in_the_pages_words() -> None:
    from threshold.concerns.forms import ShareConcernForm

    form = ShareConcernForm(_share_form(how_arose="made_up"), colleagues=[])
    assert not form.is_valid()
    assert form.errors["how_arose"] == ["Choose an answer to “How did the concern arise?”"]
    assert all("how arose" not in str(message).lower() for message in form.errors["how_arose"])


def test_a_file_name_too_long_and_a_validators_own_message_are_said_right() -> None:
    from django.core.validators import MaxLengthValidator

    upload = forms.FileField(label="Spreadsheet", max_length=5)
    assert "%(max)d" in written_messages("upload", upload)["max_length"]  # Django's own figures for a file
    own = forms.CharField(label="Name", validators=[MaxLengthValidator(5, message="Keep the name short")])
    assert "max_length" not in written_messages("name", own)
    question = forms.ChoiceField(label="Are the police involved?", choices=[("yes", "Yes")])
    assert written_messages("police", question)["required"] == "Choose an answer to “Are the police involved?”"


def test_the_sign_in_and_reset_pages_say_what_to_enter(client: Any, db: None) -> None:
    import re

    def errors(name: str, data: dict[str, str]) -> list[str]:
        page = client.post(reverse(name), data).content.decode()
        return [" ".join(text.split()) for text in re.findall(r"Error:</span>(.*?)</", page, re.S)]

    assert errors("account_login", {"login": "", "password": ""}) == ["Enter your email address", "Enter your password"]
    assert errors("account_login", {"login": "notanemail", "password": "x"}) == [
        "Enter an email address in the correct format, like name@example.com"
    ]
    assert errors("account_reset_password", {"email": ""}) == ["Enter your email address"]


def test_a_password_refused_says_what_to_do_in_words_not_djangos() -> None:
    hana = User(email="hana.head@oakfield.example", full_name="Hana Head")
    told: dict[str, list[str]] = {}
    for password in ("short", "password1234", "hana.head@oakfield"):
        try:
            validate_password(password, hana)
        except ValidationError as error:
            told[password] = error.messages
    assert told["short"] == ["Password must be 12 characters or more"]
    assert told["password1234"] == [
        "Choose a password that is harder to guess: many people use this one (try three random words)"
    ]
    assert told["hana.head@oakfield"] == ["Choose a password that is not like your name or email address"]
    assert not any("This password" in message for messages in told.values() for message in messages)
