from django.db import migrations, models

# The program's other commitments (§II.3) as tracked definitions of the group "other", in display order: code,
# name (vi, en), short name (vi, en), numerator, denominator, unit. The program states no number for any of
# them, so none has a threshold: each is shown, not judged (docs/indicators.md).
_UNITS = [("PERCENT", "Percentage"), ("COUNT", "Count"), ("PER_MILLE", "Per thousand")]
ADMISSION_GROUPS = [
    ("KN_DOAN_VIEN", "đoàn viên thanh niên", "youth union members", "đoàn viên", "youth union", "youth_union"),
    (
        "KN_CONG_NHAN",
        "công nhân trong doanh nghiệp ngoài khu vực nhà nước",
        "workers in non-state enterprises",
        "công nhân DN ngoài nhà nước",
        "non-state workers",
        "private_worker",
    ),
    ("KN_TRI_THUC", "trí thức", "intellectuals", "trí thức", "intellectuals", "intellectual"),
    ("KN_HS_SV", "học sinh, sinh viên", "pupils and students", "học sinh, sinh viên", "pupils and students", "student"),
    (
        "KN_DB_DQTV",
        "quân nhân dự bị, dân quân tự vệ",
        "reservists and militia",
        "dự bị, dân quân tự vệ",
        "reservists and militia",
        "reservist_militia",
    ),
    (
        "KN_DAN_TOC",
        "người dân tộc thiểu số",
        "ethnic minority people",
        "dân tộc thiểu số",
        "ethnic minorities",
        "ethnic_minority",
    ),
    ("KN_TON_GIAO", "người có đạo", "religious followers", "người có đạo", "religious followers", "religious"),
]
DEFINITIONS = [
    (
        code,
        f"Kết nạp đảng viên là {vi} (tỷ lệ trong số kết nạp của năm)",
        f"Admissions of {en} (share of the year's admissions)",
        f"Kết nạp: {short_vi}",
        f"Admissions: {short_en}",
        f"admitted_{group}",
        "year_admissions",
        "PERCENT",
    )
    for code, vi, en, short_vi, short_en, group in ADMISSION_GROUPS
] + [
    (
        "BT_CHU_TICH",
        "Bí thư đảng ủy cấp xã đồng thời là chủ tịch HĐND hoặc UBND cấp xã",
        "Commune-level secretaries who also chair the commune People's Council or Committee",
        "Bí thư đồng thời chủ tịch xã",
        "Secretaries also commune chairs",
        "secretaries_commune_chairs",
        "commune_level_tccsd",
        "PERCENT",
    ),
    (
        "BT_TRUONG_THON",
        "Bí thư chi bộ đồng thời là trưởng thôn, tổ trưởng tổ dân phố",
        "Cell secretaries who are also village or residential-group heads",
        "Bí thư chi bộ đồng thời trưởng thôn",
        "Cell secretaries also village heads",
        "cell_secretaries_village_heads",
        "residential_cells",
        "PERCENT",
    ),
    (
        "TCCSD_NGOAI_NN",
        "Tổ chức cơ sở đảng trong doanh nghiệp ngoài khu vực nhà nước",
        "TCCSĐ in non-state enterprises",
        "TCCSĐ ngoài khu vực nhà nước",
        "Non-state TCCSĐ",
        "non_state_tccsd",
        "",
        "COUNT",
    ),
    (
        "XOA_TEN",
        "Đảng viên bị xóa tên (‰ so với đảng viên đầu năm)",
        "Members struck off (per thousand members at the start of the year)",
        "Xóa tên",
        "Struck off",
        "members_struck_off",
        "members_at_start_of_year",
        "PER_MILLE",
    ),
    (
        "KHAI_TRU",
        "Đảng viên bị khai trừ (‰ so với đảng viên đầu năm)",
        "Members expelled (per thousand members at the start of the year)",
        "Khai trừ",
        "Expelled",
        "members_expelled",
        "members_at_start_of_year",
        "PER_MILLE",
    ),
    (
        "KY_LUAT",
        "Quyết định kỷ luật đảng viên (‰ so với đảng viên đầu năm)",
        "Discipline decisions on members (per thousand members at the start of the year)",
        "Kỷ luật",
        "Disciplined",
        "discipline_decisions",
        "members_at_start_of_year",
        "PER_MILLE",
    ),
    (
        "LLCT_TRUNG_CAP",
        "Đảng viên có trình độ lý luận chính trị trung cấp trở lên",
        "Members with intermediate political theory or higher",
        "Đảng viên LLCT trung cấp trở lên",
        "Members with intermediate theory",
        "members_theory_intermediate",
        "members_at_year_end",
        "PERCENT",
    ),
    (
        "DU_SINH_HOAT",
        "Cấp ủy viên dự sinh hoạt chi bộ (tỷ lệ buổi sinh hoạt có cấp ủy viên dự)",
        "Committee members attending cell meetings (share of the meetings)",
        "Cấp ủy viên dự sinh hoạt chi bộ",
        "Committee members at cell meetings",
        "cell_meetings_attended",
        "cell_meetings_held",
        "PERCENT",
    ),
    (
        "DU_SH_BAO_PHU",
        "Chi bộ có ghi nhận cấp ủy viên dự sinh hoạt (độ bao phủ của tỷ lệ trên)",
        "Cells that recorded committee members' attendance (the coverage of the share above)",
        "Chi bộ ghi nhận dự sinh hoạt",
        "Cells recording attendance",
        "cells_recording_attendance",
        "party_cells",
        "PERCENT",
    ),
]


def load(apps, schema_editor):
    """Write the tracked definitions (re-run by the tests' seed_rows after a flush)."""
    Definition = apps.get_model("indicators", "IndicatorDefinition")
    for order, (code, name_vi, name_en, short_vi, short_en, numerator, denominator, unit) in enumerate(
        DEFINITIONS, 1
    ):
        Definition.objects.update_or_create(
            code=code,
            defaults={
                "name_vi": name_vi,
                "name_en": name_en,
                "short_name_vi": short_vi,
                "short_name_en": short_en,
                "numerator": numerator,
                "denominator": denominator,
                "unit": unit,
                "kind": "TRACKED",
                "group": "other",
                "order": order,
                "active": True,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("indicators", "IndicatorDefinition").objects.filter(code__in=[d[0] for d in DEFINITIONS]).delete()


def _unit_field():
    return models.CharField(choices=_UNITS, default="PERCENT", max_length=16, verbose_name="unit")


class Migration(migrations.Migration):
    dependencies = [("indicators", "0007_six_program_indicators")]

    operations = [
        migrations.AlterField(model_name="indicatordefinition", name="unit", field=_unit_field()),
        migrations.AlterField(model_name="historicalindicatordefinition", name="unit", field=_unit_field()),
        migrations.RunPython(load, unload),
    ]
