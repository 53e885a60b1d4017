from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0004_import_record_run_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicatorvalue",
            name="trend_basis",
            field=models.CharField(blank=True, default="", max_length=10),
        ),
    ]
