"""Workspace pages for meetings (sign-in required): the committees, a meeting with its
attendance, agenda, declarations and papers, the forms that record them, publish, the iCalendar
feed and paper downloads. The board's landing page (agenda balance) is in ``web.board``, where
the charts are."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from healthgap.board import ical, permissions, services
from healthgap.board.forms import (
    AgendaItemForm,
    AttendanceForm,
    CommitteeForm,
    DeclarationForm,
    InterestForm,
    MeetingForm,
    MemberForm,
    PaperForm,
)
from healthgap.board.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Committee,
    Meeting,
    Member,
    Paper,
)
from healthgap.board.services import BoardError
from healthgap.publishing.forms import WithdrawForm
from healthgap.publishing.views import publish_and_return, withdraw_and_return


def require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied("You do not have permission to do this on the board's pages.")


def _meeting(request, pk: int, perm: str = permissions.VIEW) -> Meeting:
    require(request.user, perm)
    return get_object_or_404(Meeting.private_objects.select_related("committee"), pk=pk)


def _item(request, pk: int) -> AgendaItem:
    require(request.user, permissions.CHANGE)
    return get_object_or_404(AgendaItem.objects.select_related("meeting__committee"), pk=pk)


@login_required
def committee_list(request):
    require(request.user, permissions.VIEW)
    committees = Committee.objects.select_related("reports_to").order_by("kind", "name")
    context = {"committees": committees, "can_change": request.user.has_perm(permissions.CHANGE)}
    return render(request, "board/committee_list.html", context)


# Committees and members: board officers and administrators ------------------------------------


def _form_page(request, form, title: str, committee: Committee | None, submit: str):
    """A committee's or member's form, with the membership review of the committee as it stands
    (the check the form's change is made against)."""
    today = timezone.localdate()
    context = {
        "form": form,
        "title": title,
        "committee": committee,
        "submit": submit,
        "gaps": services.membership_gaps(committee, today) if committee and committee.pk else [],
    }
    return render(request, "board/edit_form.html", context)


def _saved(form, save) -> bool:
    """Saves a valid form with ``save`` (a service, or the form's version-checked save); a
    service's refusal goes on the form, so that nothing typed is lost."""
    if not form.is_valid():
        return False
    try:
        saved = save()
    except BoardError as error:
        form.add_error(None, str(error))
        return False
    if saved is None:  # a stale edit: the form says who changed what
        return False
    form.save_m2m()
    return True


def _saved_checked(form, user, check) -> bool:
    """An edit: the service's check, then the form's version-checked save."""

    def save():
        check(form.instance)
        return form.save_checked(user)

    return _saved(form, save)


def _to_membership_review(committee: Committee):
    return redirect(f"{committee.get_absolute_url()}#membership-review")


@login_required
def committee_new(request):
    require(request.user, permissions.CHANGE)
    form = CommitteeForm(request.POST or None, initial={"version": 1})
    if request.method == "POST":

        def save():
            return services.create_committee(form.save(commit=False), request.user)

        if _saved(form, save):
            messages.success(request, f"“{form.instance}” is added.")
            return _to_membership_review(form.instance)
    return _form_page(request, form, "Add a board or sub-group", None, "Add")


@login_required
def committee_edit(request, pk: int):
    require(request.user, permissions.CHANGE)
    committee = get_object_or_404(Committee, pk=pk)
    form = CommitteeForm(request.POST or None, instance=committee)
    if request.method == "POST" and _saved_checked(form, request.user, services.check_committee):
        messages.success(request, "Your changes are saved.")
        return _to_membership_review(committee)
    return _form_page(request, form, f"Edit {committee}", committee, "Save")


@login_required
def member_new(request, pk: int):
    require(request.user, permissions.CHANGE)
    committee = get_object_or_404(Committee, pk=pk)
    form = MemberForm(request.POST or None, committee=committee, initial={"version": 1})
    if request.method == "POST":

        def save():
            return services.add_member(form.save(commit=False), request.user)

        if _saved(form, save):
            messages.success(request, f"{form.instance} is added to {committee}.")
            return _to_membership_review(committee)
    return _form_page(request, form, "Add a member", committee, "Add the member")


@login_required
def member_edit(request, pk: int):
    require(request.user, permissions.CHANGE)
    member = get_object_or_404(Member.objects.select_related("committee"), pk=pk)
    committee = member.committee
    form = MemberForm(request.POST or None, instance=member, committee=committee)
    if request.method == "POST" and _saved_checked(form, request.user, services.check_member):
        messages.success(request, f"{member}'s membership is saved.")
        return _to_membership_review(committee)
    return _form_page(request, form, f"Edit {member}'s membership", committee, "Save")


def meeting_context(request, meeting: Meeting, **forms) -> dict:
    can_change = request.user.has_perm(permissions.CHANGE)
    items = meeting.items.select_related("priority", "from_committee").prefetch_related(
        # The knowledge hub's documents linked to each item (the hub sits above the board).
        "papers",
        "declarations__member",
        "documents",
    )
    return {
        "meeting": meeting,
        "items": items,
        "attendance": meeting.attendance.select_related("member__organisation"),
        "actions": meeting.actions.select_related("owner"),
        "can_change": can_change,
        "can_publish": request.user.has_perm(permissions.PUBLISH),
        "withdraw_form": WithdrawForm(),
        "attendance_form": forms.get("attendance_form") or AttendanceForm(meeting=meeting),
        "item_form": forms.get("item_form") or AgendaItemForm(meeting=meeting),
    }


@login_required
def meeting_detail(request, pk: int):
    meeting = _meeting(request, pk)
    return render(request, "board/meeting_detail.html", meeting_context(request, meeting))


@login_required
@require_POST
def record_attendance(request, pk: int):
    meeting = _meeting(request, pk, permissions.CHANGE)
    form = AttendanceForm(request.POST, meeting=meeting)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_attendance(
                meeting, data["member"], data["status"], request.user, data["substitute"]
            )
            messages.success(request, f"Attendance recorded for {data['member']}.")
            return redirect(meeting)
        except BoardError as error:
            form.add_error("member", str(error))
    context = meeting_context(request, meeting, attendance_form=form)
    return render(request, "board/meeting_detail.html", context)


@login_required
@require_POST
def add_item(request, pk: int):
    meeting = _meeting(request, pk, permissions.CHANGE)
    form = AgendaItemForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.add_agenda_item(form.save(commit=False), request.user)
            messages.success(request, "Agenda item added.")
            return redirect(meeting)
        except BoardError as error:
            form.add_error(None, str(error))
    context = meeting_context(request, meeting, item_form=form)
    return render(request, "board/meeting_detail.html", context)


def _item_page(request, item, **forms):
    context = {
        "item": item,
        "meeting": item.meeting,
        "declaration_form": forms.get("declaration_form") or DeclarationForm(item=item),
        "paper_form": forms.get("paper_form") or PaperForm(),
    }
    return render(request, "board/item_detail.html", context)


@login_required
def item_detail(request, pk: int):
    return _item_page(request, _item(request, pk))


@login_required
@require_POST
def declare(request, pk: int):
    item = _item(request, pk)
    form = DeclarationForm(request.POST, item=item)
    if form.is_valid():
        data = form.cleaned_data
        services.declare(item, data["member"], data["description"], request.user)
        messages.success(request, f"Declaration by {data['member']} recorded.")
        return redirect("board:item", item.pk)
    return _item_page(request, item, declaration_form=form)


@login_required
@require_POST
def upload_paper(request, pk: int):
    item = _item(request, pk)
    form = PaperForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.upload_paper(item, data["title"], data["file"], request.user)
            messages.success(request, f"Paper “{data['title']}” added.")
            return redirect("board:item", item.pk)
        except BoardError as error:
            form.add_error("file", str(error))
    return _item_page(request, item, paper_form=form)


def paper_download(request, pk: int):
    """A paper, to anyone who may see its meeting: internal roles, or anyone once published."""
    paper = get_object_or_404(Paper.objects.select_related("item__meeting"), pk=pk)
    meeting = paper.item.meeting
    if not (meeting.is_published or request.user.has_perm(permissions.VIEW)):
        raise Http404("No such paper.")
    handle = services.paper_storage().open(paper.file.name, "rb")
    return FileResponse(handle, content_type="application/pdf", filename=f"{paper.title}.pdf")


@login_required
@require_POST
def publish_meeting(request, pk: int):
    meeting = _meeting(request, pk, permissions.PUBLISH)
    return publish_and_return(request, meeting, "The meeting is published: the public can see it.")


@login_required
@require_POST
def withdraw_meeting(request, pk: int):
    meeting = _meeting(request, pk, permissions.PUBLISH)
    form = WithdrawForm(request.POST)
    success = "The meeting is withdrawn: the public can no longer see it."
    return withdraw_and_return(request, meeting, form, success)


@login_required
def meetings_ics(request, pk: int):
    require(request.user, permissions.VIEW)
    committee = get_object_or_404(Committee, pk=pk)
    feed = ical.meetings_calendar(
        str(committee), committee.meetings.all(), request.build_absolute_uri("/").rstrip("/")
    )
    response = HttpResponse(feed, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="board-{committee.pk}.ics"'
    return response


@login_required
def plan_meeting(request, pk: int):
    """Adds a future meeting to the forward plan (a past date is refused with the reason)."""
    require(request.user, permissions.CHANGE)
    committee = get_object_or_404(Committee, pk=pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        meeting.committee = committee
        try:
            services.plan_meeting(meeting, request.user)
            messages.success(request, "The meeting is added to the forward plan.")
            return redirect(meeting)
        except BoardError as error:
            form.add_error("starts_at", str(error))
    context = {"form": form, "committee": committee}
    return render(request, "board/meeting_form.html", context)


@login_required
def member_register(request, pk: int):
    """A member's register of interests and the declarations they made on agenda items."""
    require(request.user, permissions.VIEW)
    member = get_object_or_404(Member.objects.select_related("committee", "organisation"), pk=pk)
    can_change = request.user.has_perm(permissions.CHANGE)
    form = InterestForm(request.POST or None)
    if request.method == "POST":
        require(request.user, permissions.CHANGE)
        if form.is_valid():
            interest = form.save(commit=False)
            interest.member = member
            try:
                services.register_interest(interest, request.user)
                messages.success(request, "The interest is added to the register.")
                return redirect("board:member", member.pk)
            except BoardError as error:
                form.add_error("end_date", str(error))
    context = {
        "member": member,
        "interests": member.interests.all(),
        "declarations": member.declarations.select_related("item__meeting"),
        "form": form,
        "can_change": can_change,
    }
    return render(request, "board/member_register.html", context)


@login_required
def action_log(request, pk: int):
    """Every action of a committee's meetings, overdue first; officers add updates."""
    require(request.user, permissions.VIEW)
    committee = get_object_or_404(Committee, pk=pk)
    if request.method == "POST":
        require(request.user, permissions.CHANGE)
        action = get_object_or_404(
            Action, pk=request.POST.get("action"), meeting__committee=committee
        )
        text = request.POST.get("text", "").strip()
        status = request.POST.get("status") or None
        if not text or (status and status not in ActionStatus.values):
            messages.error(request, "Write the update, and choose a status from the list.")
        else:
            services.update_action(action, text, request.user, status)
            messages.success(request, "The update is recorded.")
        return redirect("board:actions", committee.pk)
    actions = (
        Action.objects.filter(meeting__committee=committee)
        .select_related("meeting", "owner", "programme")
        .prefetch_related("updates")
        .order_by("status", "due_date")
    )
    context = {
        "committee": committee,
        "actions": actions,
        "today": timezone.localdate(),
        "statuses": ActionStatus.choices,
        "can_change": request.user.has_perm(permissions.CHANGE),
    }
    return render(request, "board/action_log.html", context)
