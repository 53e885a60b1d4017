"""Workspace pages of the delivery plan (sign-in required): strategies, their measures with
targets, trajectories and judgements, and the board's performance reports."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from healthgap.constants import SECURITY_LOGGER
from healthgap.delivery import permissions, services
from healthgap.delivery.deaths import deaths_to_avert
from healthgap.delivery.export import plan_workbook
from healthgap.delivery.forms import TargetForm, TrajectoryPointForm
from healthgap.delivery.models import BoardReport, OutcomeMeasure, Strategy, TrajectoryPoint
from healthgap.delivery.plan import strategy_plan
from healthgap.delivery.progress import CONTROLLED_NOTE, measure_progress
from healthgap.delivery.targets import TargetError
from healthgap.publishing import services as publishing
from healthgap.publishing.forms import WithdrawForm
from healthgap.publishing.views import publish_and_return, withdraw_and_return
from healthgap.web import delivery_report as report
from healthgap.web.delivery_charts import measure_charts
from healthgap.web.formats import XLSX_TYPE

security_log = logging.getLogger(SECURITY_LOGGER)


def _require(user, perm: str, item=None) -> None:
    if not user.has_perm(perm, item):
        raise PermissionDenied("You do not have permission to do this.")


def _published(user) -> bool:
    """Whether ``user`` sees the measures' figures as published (disclosure control): everyone
    but analysts and administrators, who see them as stored, marked unsuppressed."""
    return not user.has_perm(permissions.VIEW_UNSUPPRESSED)


@login_required
def strategy_list(request):
    _require(request.user, permissions.VIEW)
    strategies = Strategy.private_objects.select_related("area").order_by("name")
    return render(request, "delivery/strategy_list.html", {"strategies": strategies})


@login_required
def strategy_detail(request, pk: int):
    _require(request.user, permissions.VIEW)
    strategy = get_object_or_404(Strategy.private_objects.select_related("area"), pk=pk)
    context = {
        "plan": strategy_plan(strategy, published=_published(request.user)),
        "reports": strategy.reports.select_related("generated_by").defer("html", "pdf"),
        "can_report": request.user.has_perm(permissions.GENERATE_REPORT),
        "controlled_note": CONTROLLED_NOTE,
    }
    return render(request, "delivery/strategy_detail.html", context)


def _measure(pk: int) -> OutcomeMeasure:
    rows = OutcomeMeasure.objects.select_related(
        "indicator", "area", "baseline_period", "priority__strategy"
    )
    return get_object_or_404(rows, pk=pk)


@login_required
def strategy_xlsx(request, pk: int):
    _require(request.user, permissions.VIEW)
    strategy = get_object_or_404(Strategy.private_objects.select_related("area"), pk=pk)
    plan = strategy_plan(strategy, published=_published(request.user))
    if plan.unsuppressed:
        security_log.info(
            "unsuppressed delivery plan of strategy %s exported by %s", strategy.pk, request.user
        )
    response = HttpResponse(plan_workbook(plan), content_type=XLSX_TYPE)
    name = f"delivery-plan-{strategy.pk}-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def measure_detail(request, pk: int):
    _require(request.user, permissions.VIEW)
    measure = _measure(pk)
    published = _published(request.user)
    progress = measure_progress(measure, published)
    can_change = request.user.has_perm(permissions.CHANGE_MEASURE, measure)
    shown = measure.trajectory.all() if progress.trajectory else []  # none where withheld
    points = [(point, TrajectoryPointForm(initial={"expected": point.expected},
                                          prefix=f"p{point.pk}"))
              for point in shown]  # fmt: skip
    context = {
        "measure": measure,
        "progress": progress,
        "charts": measure_charts(progress),
        "points": points,
        "deaths": deaths_to_avert(measure, published),
        "can_change": can_change,
        "controlled_note": CONTROLLED_NOTE,
    }
    return render(request, "delivery/measure_detail.html", context)


@login_required
def measure_target(request, pk: int):
    measure = _measure(pk)
    _require(request.user, permissions.CHANGE_MEASURE, measure)
    form = TargetForm(request.POST or None, instance=measure)
    if request.method == "POST" and form.is_valid():
        try:
            item = form.save(commit=False)
            services.set_target(item, request.user, form.cleaned_data["version"])
            messages.success(request, "The target is set and its trajectory profiled.")
            return redirect(measure)
        except TargetError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        except publishing.StaleEdit as stale:
            form.refuse_stale(stale)
    return render(request, "delivery/measure_target.html", {"form": form, "measure": measure})


@login_required
@require_POST
def trajectory_point(request, pk: int):
    point = get_object_or_404(TrajectoryPoint.objects.select_related("measure"), pk=pk)
    _require(request.user, permissions.CHANGE_MEASURE, point.measure)
    form = TrajectoryPointForm(request.POST, prefix=f"p{point.pk}")
    if form.is_valid():
        services.edit_trajectory_point(point, form.cleaned_data["expected"], request.user)
        messages.success(request, f"The value expected by {point.due:%-d %B %Y} is changed.")
    else:
        messages.error(request, "Enter the expected value as a number.")
    return redirect(point.measure)


@login_required
@require_POST
def report_new(request, pk: int):
    _require(request.user, permissions.GENERATE_REPORT)
    strategy = get_object_or_404(Strategy.private_objects, pk=pk)
    snapshot = report.generate(strategy, request.user)
    messages.success(request, f"The report is ready ({snapshot.seconds_to_generate:.1f} s).")
    return redirect(snapshot)


def _report(request, pk: int) -> BoardReport:
    _require(request.user, permissions.VIEW)
    return get_object_or_404(BoardReport.private_objects.select_related("strategy"), pk=pk)


@login_required
def report_detail(request, pk: int):
    snapshot = _report(request, pk)
    context = {
        "report": snapshot,
        "can_publish": request.user.has_perm(permissions.PUBLISH_STRATEGY, snapshot),
        "withdraw_form": WithdrawForm(),
    }
    return render(request, "delivery/report_detail.html", context)


@login_required
def report_pdf(request, pk: int):
    snapshot = _report(request, pk)
    response = HttpResponse(bytes(snapshot.pdf), content_type="application/pdf")
    name = f"performance-report-{snapshot.generated_at:%Y-%m-%d-%H%M}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
@require_POST
def report_publish(request, pk: int):
    snapshot = _report(request, pk)
    _require(request.user, permissions.PUBLISH_STRATEGY, snapshot)
    return publish_and_return(request, snapshot, "The report is published.")


@login_required
@require_POST
def report_withdraw(request, pk: int):
    snapshot = _report(request, pk)
    _require(request.user, permissions.PUBLISH_STRATEGY, snapshot)
    withdrawn = "The report is withdrawn from the public site."
    return withdraw_and_return(request, snapshot, WithdrawForm(request.POST), withdrawn)
