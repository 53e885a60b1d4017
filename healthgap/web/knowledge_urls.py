from django.urls import path, re_path

from healthgap.web import knowledge

app_name = "knowledge_public"

urlpatterns = [
    path("", knowledge.hub, name="hub"),
    re_path(r"^documents\.(?P<fmt>json)$", knowledge.hub, name="hub_format"),
    path("documents/<int:pk>", knowledge.document, name="document"),
    path("documents/<int:pk>/file", knowledge.document_file, name="document_file"),
    path("priorities/<int:pk>", knowledge.priority, name="priority"),
]
