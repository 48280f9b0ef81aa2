"""The import pages: upload, map the columns, say what coded values mean, see the dry run, import, undo.

Thin: each page reads its run through ``selectors.my_run`` (the starter's alone) and calls one service;
a service's ``ValidationError`` goes beside the fields; a version that moved is the one conflict notice.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from threshold.audit.context import AuditContext
from threshold.core.errors import ConflictError
from threshold.core.forms import apply_validation_error
from threshold.core.http import signed_in_user
from threshold.core.pages import conflict_page
from threshold.core.uploads import size_limited_upload, upload_too_large
from threshold.imports.forms import ColumnsForm, SaveMappingForm, UploadForm, ValuesForm, VersionForm
from threshold.imports.kinds import LADO, SETTING, kind_for, kind_rules
from threshold.imports.models import ImportRun
from threshold.imports.presenters import run_page_context
from threshold.imports.reading import max_bytes
from threshold.imports.selectors import importing_organisations, my_run, my_runs, saved_mappings
from threshold.imports.services.mapping import import_map, import_start, mapping_save, value_choices
from threshold.imports.services.running import check_queue, import_queue, problem_rows
from threshold.imports.services.undo import import_undo
from threshold.reports.spreadsheets import Sheet, xlsx_response

RECENT_RUNS = 20


def _conflict(request: HttpRequest, run: ImportRun, page: str) -> HttpResponse:
    """The one conflict notice: the run moved on (another tab, a finished import) since the page was opened."""
    return conflict_page(
        request,
        heading="This import changed after you opened the page",
        summary=f"It is now: {run.get_status_display().lower()}. Nothing was changed.",
        back=reverse(page, args=[run.pk]),
        back_text="Open the page again",
    )


@login_required
@require_http_methods(["GET", "POST"])
@size_limited_upload(max_bytes)
def import_list(request: HttpRequest) -> HttpResponse:
    """The person's recent imports, and the form to upload a spreadsheet.

    For LADO managers, and for who handles a setting's concerns (its head and DSLs, the trust's leads). The file
    is received only up to the size limit (``core.uploads``).
    """
    user = signed_in_user(request)
    organisations = importing_organisations(user)
    if not organisations:
        raise PermissionDenied
    mappings = list(saved_mappings(user).order_by("name"))
    # Bound on any POST: one whose only file was cut off at the limit arrives with nothing in it at all.
    posted = request.method == "POST"
    form = UploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        organisations=organisations,
        mappings=mappings,
        file_too_large=upload_too_large(request),
    )
    if request.method == "POST" and form.is_valid():
        organisation = next(org for org in organisations if str(org.pk) == form.cleaned_data["organisation"])
        saved = next((m for m in mappings if str(m.pk) == form.cleaned_data["saved_mapping"]), None)
        if saved is not None and saved.organisation_id != organisation.pk:
            saved = None  # another organisation's layout: suggest from the headers instead
        upload = form.cleaned_data["file"]
        try:
            run = import_start(
                actor=user,
                organisation=organisation,
                file_name=upload.name,
                content=upload.read(),
                audit_context=AuditContext.from_request(request),
                mapping=saved.mapping if saved is not None else None,
                translations=saved.translations if saved is not None else None,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("import_columns", run_id=run.pk)
    runs = list(my_runs(user)[:RECENT_RUNS])
    kinds = {kind_for(organisation) for organisation in organisations}
    context = {
        "form": form,
        "runs": runs,
        "organisations": organisations,
        "lado_columns": LADO.columns.columns if LADO.kind in kinds else (),
        "setting_columns": SETTING.columns.columns if SETTING.kind in kinds else (),
    }
    return render(request, "imports/list.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def import_columns(request: HttpRequest, run_id: int) -> HttpResponseBase:
    """Which column of the file holds each of Threshold's fields: recognised headers chosen already."""
    user = signed_in_user(request)
    run = my_run(user, run_id)
    columns = kind_rules(run.kind).columns.columns
    form = ColumnsForm(
        request.POST or None,
        headers=run.headers,
        mapping=run.mapping,
        columns=columns,
        initial={"version": run.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            import_map(
                actor=user,
                run=run,
                mapping=form.mapping(),
                translations=run.translations,
                expected_version=form.cleaned_data["version"],
                audit_context=AuditContext.from_request(request),
            )
        except ConflictError:
            return _conflict(request, run, "import_columns")
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("import_values", run_id=run.pk)
    context = {"run": run, "form": form, "columns": columns}
    return render(request, "imports/columns.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def import_values(request: HttpRequest, run_id: int) -> HttpResponseBase:
    """What each value of the file's coded columns means ("T1" → Tier 1), then the dry run."""
    user = signed_in_user(request)
    run = my_run(user, run_id)
    try:
        values = value_choices(run)
    except ValidationError:
        messages.error(request, "The file has been removed: upload it again.")
        return redirect("imports")
    form = ValuesForm(
        request.POST or None,
        values=values,
        columns=kind_rules(run.kind).columns.by_name,
        initial={"version": run.version},
    )
    if request.method == "POST" and form.is_valid():
        context = AuditContext.from_request(request)
        try:
            run = import_map(
                actor=user,
                run=run,
                mapping=run.mapping,
                translations=form.translations(),
                expected_version=form.cleaned_data["version"],
                audit_context=context,
            )
            check_queue(actor=user, run=run, expected_version=run.version, audit_context=context)
        except ConflictError:
            return _conflict(request, run, "import_values")
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("import_run", run_id=run.pk)
    return render(request, "imports/values.html", {"run": run, "form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def import_run(request: HttpRequest, run_id: int) -> HttpResponse:
    """The dry run's figures and problems, then the import's progress and what it did; only for its starter."""
    user = signed_in_user(request)
    run = my_run(user, run_id)
    return render(request, "imports/run.html", {**run_page_context(run), "save_form": SaveMappingForm()})


def _button(request: HttpRequest, run_id: int, service: Callable[..., ImportRun]) -> HttpResponseBase:
    """A run page's button: the version it showed, one service, then the run's page (with what went wrong)."""
    user = signed_in_user(request)
    run = my_run(user, run_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return redirect("import_run", run_id=run.pk)
    try:
        service(
            actor=user,
            run=run,
            expected_version=form.cleaned_data["version"],
            audit_context=AuditContext.from_request(request),
        )
    except ConflictError:
        return _conflict(request, run, "import_run")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("import_run", run_id=run.pk)


@login_required
@require_POST
def import_go(request: HttpRequest, run_id: int) -> HttpResponseBase:
    """Import the checked rows, in the background."""
    return _button(request, run_id, import_queue)


@login_required
@require_POST
def import_recheck(request: HttpRequest, run_id: int) -> HttpResponseBase:
    """Check a stopped import again as it was mapped, so the rest of its rows can be imported."""
    return _button(request, run_id, check_queue)


@login_required
@require_http_methods(["GET", "POST"])
def import_undo_page(request: HttpRequest, run_id: int) -> HttpResponseBase:
    """Are you sure? Then remove everything the import brought in."""
    user = signed_in_user(request)
    run = my_run(user, run_id)
    form = VersionForm(request.POST or None, initial={"version": run.version})
    if request.method == "POST" and not form.is_valid():
        # Only a page that lost its hidden version gets here: there is no field to put a message beside.
        return redirect("import_undo", run_id=run.pk)
    if request.method == "POST":
        try:
            import_undo(
                actor=user,
                run=run,
                expected_version=form.cleaned_data["version"],
                audit_context=AuditContext.from_request(request),
            )
        except ConflictError:
            return _conflict(request, run, "import_run")
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "The import was undone: the records it brought in have been removed.")
            return redirect("import_run", run_id=run.pk)
    context = {**run_page_context(run), "form": form}
    return render(request, "imports/undo.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def import_save_mapping(request: HttpRequest, run_id: int) -> HttpResponseBase:
    """Keep the run's mapping under a name, for the service's next file of the same layout."""
    user = signed_in_user(request)
    run = my_run(user, run_id)
    form = SaveMappingForm(request.POST)
    if form.is_valid():
        try:
            saved = mapping_save(
                actor=user, run=run, name=form.cleaned_data["name"], audit_context=AuditContext.from_request(request)
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"The mapping was saved as “{saved.name}”.")
            return redirect("import_run", run_id=run.pk)
    context = {**run_page_context(run), "save_form": form, "form": form}
    return render(request, "imports/run.html", context, status=400)


@login_required
@require_GET
def import_problems(request: HttpRequest, run_id: int) -> HttpResponseBase:
    """The rows to fix as a spreadsheet: the file's own columns, then what to fix; no cell is ever a formula."""
    user = signed_in_user(request)
    run = my_run(user, run_id)
    try:
        rows = problem_rows(actor=user, run=run, audit_context=AuditContext.from_request(request))
        header = ["Row", *run.headers, "What to fix"]
        return xlsx_response(
            [Sheet(title="Rows to fix", header=header, rows=rows)],
            filename=f"rows-to-fix-{timezone.localdate():%Y-%m-%d}.xlsx",
        )
    except ValidationError:
        messages.error(request, "The file has been removed: upload it again to see its rows.")
        return redirect("import_run", run_id=run.pk)
