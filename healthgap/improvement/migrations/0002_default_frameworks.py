"""The default frameworks (headline questions and maturity domains), shipped with the app."""

from django.db import migrations

from healthgap.improvement import defaults


def create_defaults(apps, schema_editor):
    Framework = apps.get_model("improvement", "Framework")
    Question = apps.get_model("improvement", "Question")
    headline, _ = Framework.objects.get_or_create(
        name=defaults.HEADLINE_FRAMEWORK, defaults={"kind": "questions"}
    )
    for number, text in enumerate(defaults.HEADLINE_QUESTIONS, start=1):
        Question.objects.get_or_create(framework=headline, number=number, defaults={"text": text})
    maturity, _ = Framework.objects.get_or_create(
        name=defaults.MATURITY_FRAMEWORK, defaults={"kind": "maturity"}
    )
    for number, (text, levels) in enumerate(defaults.MATURITY_DOMAINS, start=1):
        Question.objects.get_or_create(
            framework=maturity, number=number, defaults={"text": text, "descriptors": levels}
        )


class Migration(migrations.Migration):
    dependencies = [("improvement", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
