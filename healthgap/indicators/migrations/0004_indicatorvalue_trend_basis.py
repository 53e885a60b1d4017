from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_fewer_value_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicatorvalue",
            name="trend_basis",
            field=models.CharField(blank=True, default="", max_length=10),
        ),
    ]
