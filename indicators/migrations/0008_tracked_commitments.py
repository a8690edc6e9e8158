from django.db import migrations

# The tracked figures of the program's other commitments (docs/counting-rules.md §7): code, name (vi, en),
# short name (vi, en), numerator measure, denominator measure, unit.
TRACKED = [
    ("KN_DOAN_VIEN", "Kết nạp đảng viên là đoàn viên thanh niên", "Admissions of youth union members",
     "Kết nạp đoàn viên", "Youth union admissions", "admitted_youth_union", "year_admissions", "PERCENT"),
    ("KN_CONG_NHAN", "Kết nạp công nhân trong doanh nghiệp ngoài nhà nước",
     "Admissions of workers in non-state enterprises", "Kết nạp công nhân DN ngoài NN", "Private-sector workers",
     "admitted_private_worker", "year_admissions", "PERCENT"),
    ("KN_TRI_THUC", "Kết nạp đảng viên là trí thức", "Admissions of intellectuals", "Kết nạp trí thức",
     "Intellectuals admitted", "admitted_intellectual", "year_admissions", "PERCENT"),
    ("KN_HS_SV", "Kết nạp đảng viên là học sinh, sinh viên", "Admissions of pupils and students",
     "Kết nạp học sinh, sinh viên", "Pupils and students admitted", "admitted_student", "year_admissions", "PERCENT"),
    ("KN_DU_BI_DQTV", "Kết nạp quân nhân dự bị, dân quân tự vệ", "Admissions of reservists and militia",
     "Kết nạp dự bị, DQTV", "Reservists and militia admitted", "admitted_reservist_militia", "year_admissions",
     "PERCENT"),
    ("KN_DTTS", "Kết nạp đảng viên là người dân tộc thiểu số", "Admissions of ethnic minority people",
     "Kết nạp người DTTS", "Ethnic minority admissions", "admitted_ethnic_minority", "year_admissions", "PERCENT"),
    ("KN_TON_GIAO", "Kết nạp đảng viên là người có đạo", "Admissions of religious followers",
     "Kết nạp người có đạo", "Religious followers admitted", "admitted_religious", "year_admissions", "PERCENT"),
    ("BT_CT_XA", "Bí thư đảng ủy đồng thời là chủ tịch HĐND hoặc UBND cấp xã",
     "TCCSĐ secretaries also chairing the commune People's Council or Committee", "Bí thư kiêm chủ tịch xã",
     "Secretaries also commune chairs", "secretaries_commune_chairs", "commune_level_tccsd", "PERCENT"),
    ("BT_TRUONG_THON", "Bí thư chi bộ đồng thời là trưởng thôn, tổ trưởng tổ dân phố",
     "Cell secretaries also village or residential-group heads", "Bí thư chi bộ kiêm trưởng thôn",
     "Cell secretaries also village heads", "cell_secretaries_village_heads", "residential_cells", "PERCENT"),
    ("TCCSD_NGOAI_NN", "Tổ chức cơ sở đảng trong doanh nghiệp ngoài khu vực nhà nước",
     "TCCSĐ in non-state enterprises", "TCCSĐ doanh nghiệp ngoài NN", "TCCSĐ in non-state enterprises",
     "non_state_tccsd", "", "COUNT"),
    ("XOA_TEN", "Đảng viên bị xóa tên", "Members struck off", "Xóa tên", "Struck off",
     "members_struck_off", "", "COUNT"),
    ("KHAI_TRU", "Đảng viên bị khai trừ", "Members expelled", "Khai trừ", "Expelled",
     "members_expelled", "", "COUNT"),
    ("KY_LUAT", "Đảng viên bị thi hành kỷ luật", "Members disciplined", "Kỷ luật", "Disciplined",
     "discipline_decisions", "", "COUNT"),
    ("LLCT_TRUNG_CAP", "Đảng viên có trình độ trung cấp lý luận chính trị trở lên",
     "Members with intermediate political theory or higher", "Đảng viên LLCT trung cấp trở lên",
     "Intermediate theory or higher", "members_theory_intermediate", "members_at_year_end", "PERCENT"),
    ("DU_SH_CHI_BO", "Cấp ủy viên dự sinh hoạt chi bộ", "Committee members attending cell meetings",
     "Cấp ủy viên dự sinh hoạt chi bộ", "Attendance at cell meetings", "cell_meetings_attended",
     "cell_meetings_held", "PERCENT"),
]


def load(apps, schema_editor):
    Definition = apps.get_model("indicators", "IndicatorDefinition")
    for order, (code, name_vi, name_en, short_vi, short_en, numerator, denominator, unit) in enumerate(TRACKED, 1):
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
                "order": 100 + order,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("indicators", "IndicatorDefinition").objects.filter(code__in=[row[0] for row in TRACKED]).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0007_six_program_indicators"), ("members", "0005_seed_codes")]

    operations = [migrations.RunPython(load, unload)]
