"""One Django group per role (healthgap.constants.Role, spelled here as they were when made)."""

from django.db import migrations

ROLE_NAMES = (
    "Administrator",
    "Analyst",
    "Programme lead",
    "Board member",
    "Board officer",
    "Peer reviewer",
)


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
