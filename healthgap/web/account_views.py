"""Sign-in, sign-out, password and two-step verification pages (URLs under /account/), the
workspace home, and the pages for a locked-out or unauthorised user."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import django_otp
import segno
from axes.helpers import get_cool_off
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from healthgap.accounts.permissions import is_administrator
from healthgap.web import workspace
from healthgap.web.account_forms import CodeForm, SignInForm
from healthgap.web.formats import error_response

FORM_PAGE = "web/account/form_page.html"
MESSAGE_PAGE = "web/account/message_page.html"
TOTP_DEVICE_NAME = "Authenticator app"
LOCKED_OUT_STATUS = 429


class SignInView(auth_views.LoginView):
    template_name = "web/account/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True
    extra_context = {"heading": "Sign in", "button": "Sign in"}

    def form_valid(self, form):
        response = super().form_valid(form)
        if django_otp.user_has_device(form.get_user()):
            query = urlencode({"next": self.get_success_url()})
            return redirect(f"{reverse('web:two_step_verify')}?{query}")
        return response


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """django-axes' lock-out response: the sign-in page saying when to try again."""
    try_again = timezone.localtime(timezone.now() + get_cool_off(request))
    message = (
        "Too many failed attempts to sign in: this account is locked. Try again after "
        f"{try_again:%H:%M} on {try_again:%-d %B %Y}."
    )
    context = {
        "form": SignInForm(request, initial={"username": request.POST.get("username", "")}),
        "page_errors": [(message, "id_username")],
        "heading": "Sign in",
        "button": "Sign in",
    }
    return render(request, "web/account/sign_in.html", context, status=LOCKED_OUT_STATUS)


class SignOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have signed out.")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = FORM_PAGE
    success_url = reverse_lazy("web:password_change_done")
    extra_context = {"heading": "Change your password", "button": "Change password"}


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = MESSAGE_PAGE
    extra_context = {
        "heading": "Your password has been changed",
        "paragraphs": ["Use your new password next time you sign in."],
        "link_url": reverse_lazy("web:workspace"),
        "link_text": "Go to your workspace",
    }


class PasswordResetView(auth_views.PasswordResetView):
    template_name = FORM_PAGE
    email_template_name = "web/account/password_reset_email.txt"
    subject_template_name = "web/account/password_reset_subject.txt"
    success_url = reverse_lazy("web:password_reset_done")
    extra_context = {
        "heading": "Reset your password",
        "intro": "Enter the email address of your account. We will send you a link to choose a "
        "new password.",
        "button": "Send the link",
    }


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = MESSAGE_PAGE
    extra_context = {
        "heading": "Check your email",
        "paragraphs": [
            "If an account has that email address, we have sent it a link to choose a new "
            "password. The link works once, for 3 days.",
        ],
    }


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = FORM_PAGE
    success_url = reverse_lazy("web:password_reset_complete")
    extra_context = {"heading": "Choose a new password", "button": "Save the new password"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context.get("validlink"):
            context["intro"] = "This link has expired or has been used. Ask for a new one."
            context["form"] = None
        return context


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = MESSAGE_PAGE
    extra_context = {
        "heading": "Your password has been reset",
        "link_url": reverse_lazy("web:sign_in"),
        "link_text": "Sign in",
    }


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else default


def _qr_svg(text: str) -> str:
    """The key's otpauth:// address as an SVG QR code, made here (no outside service)."""
    return mark_safe(segno.make(text, error="m").svg_inline(scale=5, omitsize=True))


@login_required
def two_step_setup(request):
    """Adds an authenticator app: the key as text and QR code, confirmed by a first code."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name=TOTP_DEVICE_NAME, confirmed=False
        )

    def check(code):
        return device if device.verify_token(code) else None

    form = CodeForm(request.POST or None, check=check, help_text="The 6 digits the app shows")
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        django_otp.login(request, device)
        messages.success(
            request, "Two-step verification is set up. You will need a code each time you sign in."
        )
        return redirect("web:workspace")
    context = {
        "form": form,
        "heading": "Set up two-step verification",
        "button": "Confirm",
        "key": base64.b32encode(device.bin_key).decode(),
        "qr_svg": _qr_svg(device.config_url),
        "required": is_administrator(request.user),
    }
    return render(request, "web/account/two_step_setup.html", context)


@login_required
def two_step_verify(request):
    """Asks a user with a device for a code after they sign in."""
    form = CodeForm(
        request.POST or None,
        check=lambda code: django_otp.match_token(request.user, code),
        help_text="The 6 digits your authenticator app shows, or one of your backup codes",
    )
    if request.method == "POST" and form.is_valid():
        django_otp.login(request, form.device)
        return redirect(_safe_next(request, reverse("web:workspace")))
    context = {
        "form": form,
        "heading": "Enter your verification code",
        "button": "Continue",
        "next": _safe_next(request, ""),
    }
    return render(request, FORM_PAGE, context)


@login_required
def two_step_required(request):
    """Where the admin sends an administrator who has not verified a second factor."""
    if not is_administrator(request.user):
        return forbidden(request)
    if django_otp.user_has_device(request.user):
        link = f"{reverse('web:two_step_verify')}?{urlencode({'next': reverse('admin:index')})}"
        text = "Enter a verification code"
    else:
        link, text = reverse("web:two_step_setup"), "Set up two-step verification"
    context = {
        "heading": "Administration needs two-step verification",
        "paragraphs": [
            "To reach administration you must confirm who you are with a second step: a code "
            "from an authenticator app on your phone (or a backup code).",
        ],
        "link_url": link,
        "link_text": text,
    }
    return render(request, MESSAGE_PAGE, context, status=403)


@login_required
def workspace_home(request):
    user = request.user
    sections = workspace.sections_for(user)
    context = {
        "sections": sections,
        "nothing_assigned": all(section.is_empty for section in sections),
        "first_steps": workspace.first_steps(user),
        "roles": sorted(workspace.role_names(user)),
        "profile": getattr(user, "profile", None),
        "has_device": django_otp.user_has_device(user),
        "needs_two_step": is_administrator(user) and not user.is_verified(),
    }
    return render(request, "web/workspace.html", context)


def forbidden(request, exception=None):
    """handler403: the site's error page, saying what to do next."""
    return error_response(
        request,
        403,
        "Your role does not allow you to open this page. If you need it, ask your "
        "administrator for the right role.",
    )


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent after its page expired (e.g. the session ended)."""
    return error_response(
        request,
        403,
        "This form has expired, so nothing was sent. Go back, reload the page and send it again.",
    )
