"""Letters and reports as PDF (WeasyPrint), from the same template the HTML page includes."""

from django.http import HttpResponse
from django.template.loader import render_to_string


def pdf_response(template: str, context: dict, filename: str, request) -> HttpResponse:
    """Renders ``template`` (a standalone print page) to a PDF download."""
    from weasyprint import HTML  # imported here: loads pango, which only PDFs need

    html = render_to_string(template, context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
