from django.db import migrations

RULE_SETS = {2020: "132-QD/TW", 2021: "132-QD/TW", 2022: "132-QD/TW", 2023: "124-QD/TW", 2024: "124-QD/TW",
             2025: "366-QD/TW"}


def create_years(apps, schema_editor):
    RatingYear = apps.get_model("evaluations", "RatingYear")
    for year, rule_set in RULE_SETS.items():
        RatingYear.objects.get_or_create(year=year, defaults={"rule_set": rule_set})


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]
    operations = [migrations.RunPython(create_years, migrations.RunPython.noop)]
