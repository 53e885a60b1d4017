"""Factory users, made through ``accounts.services`` (the only writer) like real ones."""

import factory

from healthgap.accounts import services
from healthgap.accounts.models import Organisation, Sector

PASSWORD = "correct-horse-battery-9"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    sector = Sector.COUNCIL


class UserFactory(factory.Factory):
    """``UserFactory(roles=[Role.ANALYST])``: a user with a profile and those roles."""

    class Meta:
        model = dict  # built by services.create_user in _create

    username = factory.Sequence(lambda n: f"user{n}")
    password = PASSWORD
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    roles = ()

    @classmethod
    def _create(cls, model_class, username, password, roles, organisation, **names):
        return services.create_user(
            username, password, organisation=organisation, roles=roles, **names
        )
