import pytest

from healthgap.constants import Role
from healthgap.knowledge import services
from healthgap.knowledge.models import Document, DocumentType, Tag, TagKind
from tests.accounts.factories import UserFactory


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def analyst(db):
    return UserFactory(roles=[Role.ANALYST])


@pytest.fixture
def add_document(analyst):
    """Makes a document through the services: ``add_document(title, upload=..., **fields)``."""

    def add(title, upload=None, relations=None, **fields):
        fields.setdefault("document_type", DocumentType.JSNA_CHAPTER)
        if upload is None:
            fields.setdefault("external_url", "https://example.org/report")
        document = Document(title=title, **fields)
        return services.create_document(document, analyst, upload, relations)

    return add


@pytest.fixture
def tag(db):
    def make(kind: str, name: str) -> Tag:
        return Tag.objects.get_or_create(kind=kind, name=name)[0]

    make.THEME, make.GROUP, make.PRIORITY = (
        TagKind.THEME,
        TagKind.POPULATION_GROUP,
        TagKind.PRIORITY,
    )
    return make
