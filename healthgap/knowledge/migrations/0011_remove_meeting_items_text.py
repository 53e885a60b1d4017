from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0010_meeting_items_to_links"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="document",
            name="meeting_items",
        ),
        migrations.RemoveField(
            model_name="historicaldocument",
            name="meeting_items",
        ),
    ]
