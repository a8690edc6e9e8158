"""The action program 2020–2025 and its six targets (seed/chuong-trinh-hanh-dong-2020-2025.txt)."""

from django.db import migrations

TARGETS = [
    ("T1a", ">", "90", "EACH_YEAR", None, "Hằng năm có trên 90% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên"),
    ("T1b", "<", "0.3", "EACH_YEAR", None, "Dưới 0,3% tổ chức cơ sở đảng không hoàn thành nhiệm vụ"),
    ("T2a", ">=", "90", "EACH_YEAR", None, "Hằng năm có từ 90% đảng viên hoàn thành tốt nhiệm vụ trở lên"),
    ("T2b", "<", "0.4", "EACH_YEAR", None, "Dưới 0,4% đảng viên không hoàn thành nhiệm vụ"),
    ("T3", ">", "4", "PROGRAM_MEAN", None, "Kết nạp đảng viên mới bình quân hằng năm trên 4% tổng số đảng viên"),
    ("T4", ">", "90", "BY_DEADLINE", 2025,
     "Đến năm 2025, trên 90% cấp ủy viên cơ sở có trình độ lý luận chính trị trung cấp trở lên"),
]


def create_program(apps, schema_editor):
    Program = apps.get_model("indicators", "Program")
    Target = apps.get_model("indicators", "Target")
    program, _ = Program.objects.get_or_create(
        code="CTHD-2020-2025",
        defaults={
            "name": "Nâng cao năng lực lãnh đạo, sức chiến đấu của tổ chức cơ sở đảng và chất lượng đội ngũ "
            "đảng viên, giai đoạn 2020–2025",
            "first_year": 2020,
            "last_year": 2025,
        },
    )
    for indicator, comparator, threshold, mode, deadline, description in TARGETS:
        Target.objects.get_or_create(
            program=program, indicator=indicator,
            defaults={"comparator": comparator, "threshold": threshold, "mode": mode, "deadline_year": deadline,
                      "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(create_program, migrations.RunPython.noop)]
