from django.db import migrations

# The program's six targets as definitions: code, name (vi, en), short name (vi, en), numerator, denominator.
DEFINITIONS = [
    (
        "T1a",
        "TCCSĐ hoàn thành tốt nhiệm vụ trở lên",
        "TCCSĐ rated well completed or better",
        "TCCSĐ HTTNV trở lên",
        "TCCSĐ well completed or better",
        "grassroots_good",
        "grassroots_rated",
    ),
    (
        "T1b",
        "TCCSĐ không hoàn thành nhiệm vụ",
        "TCCSĐ rated not completed",
        "TCCSĐ không hoàn thành nhiệm vụ",
        "TCCSĐ not completed",
        "grassroots_not_completed",
        "grassroots_rated",
    ),
    (
        "T2a",
        "Đảng viên hoàn thành tốt nhiệm vụ trở lên",
        "Members rated well completed or better",
        "Đảng viên HTTNV trở lên",
        "Members well completed or better",
        "members_good",
        "members_rated",
    ),
    (
        "T2b",
        "Đảng viên không hoàn thành nhiệm vụ",
        "Members rated not completed",
        "Đảng viên không hoàn thành nhiệm vụ",
        "Members not completed",
        "members_not_completed",
        "members_rated",
    ),
    (
        "T3",
        "Tỷ lệ kết nạp đảng viên mới so với số đảng viên đầu năm",
        "New admissions over the members at the start of the year",
        "Kết nạp đảng viên mới",
        "New admissions",
        "admissions",
        "rolls_at_start",
    ),
    (
        "T4",
        "Cấp ủy viên cơ sở có trình độ trung cấp lý luận chính trị trở lên",
        "Grassroots committee members with intermediate political theory or higher",
        "Cấp ủy viên cơ sở có LLCT trung cấp trở lên",
        "Committee members with intermediate theory or higher",
        "committee_members_qualified",
        "committee_members",
    ),
]


def load(apps, schema_editor):
    Definition = apps.get_model("indicators", "IndicatorDefinition")
    for order, (code, name_vi, name_en, short_vi, short_en, numerator, denominator) in enumerate(DEFINITIONS, 1):
        Definition.objects.update_or_create(
            code=code,
            defaults={
                "name_vi": name_vi,
                "name_en": name_en,
                "short_name_vi": short_vi,
                "short_name_en": short_en,
                "numerator": numerator,
                "denominator": denominator,
                "unit": "PERCENT",
                "kind": "TARGET",
                "group": "program",
                "order": order,
                "active": True,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("indicators", "IndicatorDefinition").objects.filter(code__in=[d[0] for d in DEFINITIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0006_indicator_definitions")]

    operations = [migrations.RunPython(load, unload)]
