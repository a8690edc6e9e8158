"""The coded member records of the demo province, drawn from a stream of their own (docs/decisions.md gives the
shares and their sources): ethnicity and religion coded from the generated text, education, qualification,
occupations and youth union membership at admission."""

import importlib

from members.models import Code

SEED = importlib.import_module("members.migrations.0005_seed_codes")
YEAR = 365.2425
EDUCATION = [("THPT", 86), ("THCS", 12), ("TH", 2)]
QUALIFICATION = [("DAI_HOC", 40), ("THAC_SI", 5), ("TIEN_SI", 1), ("CAO_DANG", 9), ("TRUNG_CAP", 17)]
QUALIFICATION += [("SO_CAP", 6), ("KHONG", 22)]
# Workers of non-state enterprises: about 5 % of a year's admissions (Đồng Nai, 2016; docs/decisions.md).
OCCUPATION_YOUNG = [("CN_DN_NNN", 7), ("DU_BI_DQTV", 14), ("SINH_VIEN", 6), ("HOC_SINH", 3), ("LLVT", 12)]
OCCUPATION_YOUNG += [("VIEN_CHUC", 20), ("CBCC_XA", 10), ("NONG_LAM_NGU", 18), ("KHAC", 10)]
OCCUPATION_OLDER = [("CBCC_NN", 10), ("CBCC_DT", 5), ("CBCC_XA", 14), ("KCT_THON", 9), ("VIEN_CHUC", 22)]
OCCUPATION_OLDER += [("DN_NN", 5), ("QL_DN_NNN", 3), ("CN_DN_NNN", 6), ("NONG_LAM_NGU", 16), ("LLVT", 6)]
OCCUPATION_OLDER += [("KHAC", 4)]
# Youth union members among those admitted: nearly all under 31 (the union's ages, 16–30), and the union's own
# officials and the members whose term runs to 35 among those of 31–35; about 78 % of a year's admissions
# (Quảng Trị, first quarter of 2024: 262 of 333; docs/decisions.md).
YOUTH_UNION_UNDER_31 = 0.97
YOUTH_UNION_31_TO_35 = 0.6


def coded_records(rng, people):
    """Per person, in order: a dict of the Member fields holding codes (ids) and youth union membership."""
    ids = {(c.list, c.code): c.pk for c in Code.objects.all()}
    by_text = {}
    for code_list, aliases in (("ethnicity", SEED.ETHNICITY_ALIASES), ("religion", SEED.RELIGION_ALIASES)):
        texts = {SEED.fold(c.name): c.pk for c in Code.objects.filter(list=code_list)}
        texts.update({text: ids[(code_list, code)] for text, code in aliases.items()})
        by_text[code_list] = (texts, ids[(code_list, "99")])

    def coded(code_list, text):
        texts, other = by_text[code_list]
        return texts.get(SEED.fold(text), other)

    def draw(code_list, weights):
        return ids[(code_list, rng.choices([c for c, _ in weights], weights=[w for _, w in weights])[0])]

    for person in people:
        admitted_at = (person.admission - person.birth) / YEAR
        young = admitted_at < 31
        youth_union = YOUTH_UNION_UNDER_31 if young else YOUTH_UNION_31_TO_35 if admitted_at < 36 else 0
        now = draw("occupation", OCCUPATION_YOUNG if young else OCCUPATION_OLDER)
        at_admission = draw("occupation", OCCUPATION_YOUNG) if young else now
        yield {
            "ethnicity_code_id": coded("ethnicity", person.ethnicity),
            "religion_code_id": coded("religion", person.religion),
            "general_education_id": draw("education", EDUCATION),
            "qualification_id": draw("qualification", QUALIFICATION),
            "occupation_at_admission_id": at_admission,
            "occupation_now_id": now,
            "youth_union_at_admission": rng.random() < youth_union,
        }
