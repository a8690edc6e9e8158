"""Seed the coded lists (docs/decisions.md, "Member records for the program's commitments") and map the
free-text ethnicity and religion of existing members onto codes; a text no code matches maps to "other"
and the text itself stays on the record."""

import unicodedata

from django.db import migrations

# The 54 ethnic groups with the codes of the GSO list (Quyết định 121-TCTK/PPCĐ, 02/03/1979).
ETHNICITIES = [
    "Kinh", "Tày", "Thái", "Hoa", "Khơ-me", "Mường", "Nùng", "Hmông", "Dao", "Gia-rai", "Ngái", "Ê-đê", "Ba-na",
    "Xơ-đăng", "Sán Chay", "Cơ-ho", "Chăm", "Sán Dìu", "Hrê", "Mnông", "Ra-glai", "Xtiêng", "Bru-Vân Kiều",
    "Thổ", "Giáy", "Cơ-tu", "Gié-Triêng", "Mạ", "Khơ-mú", "Co", "Tà-ôi", "Chơ-ro", "Kháng", "Xinh-mun",
    "Hà Nhì", "Chu-ru", "Lào", "La Chí", "La Ha", "Phù Lá", "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn",
    "Cơ Lao", "Cống", "Bố Y", "Si La", "Pu Péo", "Brâu", "Ơ Đu", "Rơ-măm",
]
# Other spellings met on records, folded (lower case, no diacritics, no hyphen or space).
ETHNICITY_ALIASES = {"khmer": "05", "hmong": "08", "mong": "08", "meo": "08", "jrai": "10", "ede": "12",
                     "bana": "13", "xodang": "14", "koho": "16", "cham": "17", "bruvankieu": "23", "vankieu": "23",
                     "katu": "26", "khomu": "29", "taoi": "31"}
# The religions recognised by the State (Ban Tôn giáo Chính phủ, 16 religions), "none" first.
RELIGIONS = [
    ("00", "Không", "None", ""),
    ("01", "Phật giáo", "Buddhism", "TON_GIAO"),
    ("02", "Công giáo", "Catholicism", "TON_GIAO"),
    ("03", "Tin lành", "Protestantism", "TON_GIAO"),
    ("04", "Cao Đài", "Caodaism", "TON_GIAO"),
    ("05", "Phật giáo Hòa Hảo", "Hoa Hao Buddhism", "TON_GIAO"),
    ("06", "Hồi giáo", "Islam", "TON_GIAO"),
    ("07", "Tôn giáo Baha'i", "Baha'i Faith", "TON_GIAO"),
    ("08", "Tịnh độ Cư sĩ Phật hội Việt Nam", "Pure Land Buddhist Home Practice", "TON_GIAO"),
    ("09", "Cơ đốc Phục lâm", "Seventh-day Adventism", "TON_GIAO"),
    ("10", "Phật giáo Tứ Ân Hiếu Nghĩa", "Tu An Hieu Nghia Buddhism", "TON_GIAO"),
    ("11", "Minh Sư đạo", "Minh Su Dao", "TON_GIAO"),
    ("12", "Minh Lý đạo", "Minh Ly Dao", "TON_GIAO"),
    ("13", "Bà-la-môn giáo", "Brahmanism", "TON_GIAO"),
    ("14", "Mặc môn", "Mormonism", "TON_GIAO"),
    ("15", "Phật giáo Hiếu Nghĩa Tà Lơn", "Hieu Nghia Ta Lon Buddhism", "TON_GIAO"),
    ("16", "Bửu Sơn Kỳ Hương", "Buu Son Ky Huong", "TON_GIAO"),
    ("99", "Tôn giáo khác", "Other religion", "TON_GIAO"),
]
RELIGION_ALIASES = {"": "00", "khong": "00", "phat": "01", "daophat": "01", "thienchua": "02",
                    "thienchuagiao": "02", "congiao": "02", "daothienchua": "02", "tinlanh": "03", "caodai": "04",
                    "hoahao": "05", "hoigiao": "06", "islam": "06"}
EDUCATION = [
    ("TH", "Tiểu học", "Primary school", ""),
    ("THCS", "Trung học cơ sở", "Lower secondary school", ""),
    ("THPT", "Trung học phổ thông", "Upper secondary school", ""),
]
QUALIFICATIONS = [
    ("KHONG", "Chưa qua đào tạo", "No professional training", ""),
    ("SO_CAP", "Sơ cấp", "Elementary vocational", ""),
    ("TRUNG_CAP", "Trung cấp", "Intermediate vocational", ""),
    ("CAO_DANG", "Cao đẳng", "College", ""),
    ("DAI_HOC", "Đại học", "University", "TRI_THUC"),
    ("THAC_SI", "Thạc sĩ", "Master", "TRI_THUC"),
    ("TIEN_SI", "Tiến sĩ", "Doctorate", "TRI_THUC"),
]
# Biểu 3-BTCTW's occupations, with the groups §II.3 of the program names for admissions.
OCCUPATIONS = [
    ("CBCC_NN", "Cán bộ, công chức cơ quan nhà nước từ cấp huyện trở lên", "State civil servant (district and up)", ""),
    ("CBCC_DT", "Cán bộ, công chức cơ quan Đảng, Mặt trận, đoàn thể từ cấp huyện trở lên",
     "Party, Front or mass-organization civil servant (district and up)", ""),
    ("CBCC_XA", "Cán bộ, công chức, người hoạt động không chuyên trách cấp xã",
     "Commune official or part-time commune worker", ""),
    ("KCT_THON", "Người hoạt động không chuyên trách ở thôn, tổ dân phố",
     "Part-time worker of a village or residential group", ""),
    ("VIEN_CHUC", "Viên chức đơn vị sự nghiệp công lập", "Public service employee", ""),
    ("SN_NCL", "Lao động trong đơn vị sự nghiệp ngoài công lập", "Employee of a non-public service unit", ""),
    ("DN_NN", "Người lao động trong doanh nghiệp nhà nước", "Employee of a state enterprise", ""),
    ("QL_DN_NNN", "Chủ, người quản lý doanh nghiệp ngoài nhà nước", "Owner or manager of a non-state enterprise", ""),
    ("CN_DN_NNN", "Công nhân, người lao động trong doanh nghiệp ngoài nhà nước",
     "Worker in a non-state enterprise", "CONG_NHAN_NNN"),
    ("NONG_LAM_NGU", "Nông, lâm, ngư nghiệp", "Farming, forestry or fishing", ""),
    ("LLVT", "Lực lượng vũ trang (quân đội, công an)", "Armed forces (army, police)", ""),
    ("DU_BI_DQTV", "Quân nhân dự bị, dân quân tự vệ", "Reservist or militia", "DU_BI_DQTV"),
    ("SINH_VIEN", "Sinh viên", "University or college student", "HS_SV"),
    ("HOC_SINH", "Học sinh", "School pupil", "HS_SV"),
    ("HUU_TRI", "Hưu trí", "Retired", ""),
    ("KHAC", "Khác", "Other", ""),
]
POSTS = [
    ("CT_HDND_XA", "Chủ tịch Hội đồng nhân dân cấp xã", "Chair of the commune People's Council", "CHU_TICH_XA"),
    ("PCT_HDND_XA", "Phó Chủ tịch Hội đồng nhân dân cấp xã", "Vice-chair of the commune People's Council", ""),
    ("CT_UBND_XA", "Chủ tịch Ủy ban nhân dân cấp xã", "Chair of the commune People's Committee", "CHU_TICH_XA"),
    ("PCT_UBND_XA", "Phó Chủ tịch Ủy ban nhân dân cấp xã", "Vice-chair of the commune People's Committee", ""),
    ("TRUONG_THON", "Trưởng thôn, bản, ấp", "Village head", "TRUONG_THON_TO"),
    ("TO_TRUONG_TDP", "Tổ trưởng tổ dân phố, trưởng khu phố", "Residential-group head", "TRUONG_THON_TO"),
    ("PHO_THON", "Phó trưởng thôn, tổ phó tổ dân phố", "Deputy village or residential-group head", ""),
    ("TRUONG_BCTMT", "Trưởng ban công tác Mặt trận thôn, tổ dân phố",
     "Head of the Fatherland Front committee of a village or residential group", ""),
    ("KHAC", "Chức vụ khác", "Other post", ""),
]


def fold(text):
    text = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c)).lower()


def create_codes(apps, schema_editor):
    Code = apps.get_model("members", "Code")
    rows = [("ethnicity", f"{i:02d}", name, "", "" if i == 1 else "THIEU_SO") for i, name in
            enumerate(ETHNICITIES, start=1)]
    rows.append(("ethnicity", "99", "Dân tộc khác", "Other ethnicity", ""))
    rows += [("religion", *r) for r in RELIGIONS]
    rows += [("education", *r) for r in EDUCATION]
    rows += [("qualification", *r) for r in QUALIFICATIONS]
    rows += [("occupation", *r) for r in OCCUPATIONS]
    rows += [("post", *r) for r in POSTS]
    position = {}
    for code_list, code, name, name_en, group in rows:
        position[code_list] = position.get(code_list, 0) + 1
        Code.objects.get_or_create(
            list=code_list, code=code,
            defaults={"name": name, "name_en": name_en, "group": group, "position": position[code_list]},
        )


def code_members(apps, schema_editor):
    Code = apps.get_model("members", "Code")
    Member = apps.get_model("members", "Member")
    # One update per distinct text: a province has hundreds of thousands of members and a few dozen spellings.
    for code_list, field, aliases in (
        ("ethnicity", "ethnicity", ETHNICITY_ALIASES),
        ("religion", "religion", RELIGION_ALIASES),
    ):
        by_text = {fold(c.name): c for c in Code.objects.filter(list=code_list)}
        by_text.update({text: Code.objects.get(list=code_list, code=code) for text, code in aliases.items()})
        other = Code.objects.get(list=code_list, code="99")
        for text in Member.objects.values_list(field, flat=True).distinct():
            Member.objects.filter(**{field: text}).update(**{f"{field}_code": by_text.get(fold(text), other)})

class Migration(migrations.Migration):
    dependencies = [("members", "0004_member_records")]
    operations = [
        migrations.RunPython(create_codes, migrations.RunPython.noop),
        migrations.RunPython(code_members, migrations.RunPython.noop),
    ]
