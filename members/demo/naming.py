"""Names of the demo province's units, as they read in a real province."""

from . import names

PROVINCE_NAME = "Tân Nguyên"  # invented, like every name of a unit or a person in the demo
PROVINCE_CODE = "TN"
DISTRICT_TITLES = {"Thành": "thành phố", "Thị": "thị xã", "Huyện": "huyện"}


class PlaceNames:
    """Unique two-syllable place names, drawn without repetition."""

    def __init__(self, rng):
        pool = [f"{a} {b}" for a in names.PLACE_FIRST for b in names.PLACE_SECOND if a != b]
        rng.shuffle(pool)
        self._pool = pool

    def take(self):
        return self._pool.pop()


def uniq(label, used):
    """Unit names repeat in a big province (many 'Trường Tiểu học'): number the repeats."""
    count = used.get(label, 0) + 1
    used[label] = count
    return label if count == 1 else f"{label} số {count}"


def _fill(rng, template, place, province):
    return template.format(n=rng.randint(1, 60), place=place, province=province)


class Namer:
    """Unit names as they read in a real province: redrawn until unused, numbered only where life numbers them."""

    def __init__(self, rng, places):
        self.rng = rng
        self.places = places
        self.used = {}
        # Schools, enterprises and villages share place names across the province, as they do in life.
        self.common = [f"{a} {b}" for a in names.PLACE_FIRST[:30] for b in names.PLACE_SECOND[:30] if a != b]

    def tccsd(self, key, *, district=None, title=""):
        """The unit's own name (without 'Đảng bộ' / 'Chi bộ') and, for public units, a refined profile."""
        if key in ("commune", "ward", "township"):
            label = {"commune": "xã", "ward": "phường", "township": "thị trấn"}[key]
            return f"{label} {self.places.take()}", None
        where = f"{DISTRICT_TITLES[title]} {district}" if district else f"tỉnh {PROVINCE_NAME}"
        for draw in (self._draw, self._fallback):
            for _ in range(30):
                label = draw(key, district, title, where).strip()
                if label not in self.used:
                    return uniq(label, self.used), _public_profile(key, district, label)
        return uniq(label, self.used), _public_profile(key, district, label)

    def _draw(self, key, district, title, where):
        rng = self.rng
        place = rng.choice(self.common)
        if key == "party_mass":
            if district:
                return rng.choice([f"Cơ quan {title} ủy {district}", f"Cơ quan Ủy ban MTTQ và các đoàn thể {where}"])
            return rng.choice(names.PROVINCE_PARTY_AGENCIES).format(province=PROVINCE_NAME)
        if key == "state":
            return (
                f"{rng.choice(names.DISTRICT_AGENCIES)} {where}"
                if district
                else rng.choice(names.PROVINCE_STATE_AGENCIES)
            )
        if key == "school":
            return f"{rng.choice(names.SCHOOL_KINDS)} {place}"
        if key == "health":
            return f"Trung tâm Y tế {where}" if district else rng.choice(names.PROVINCE_PUBLIC_UNITS[:7])
        if key == "public":
            if district:
                return f"{rng.choice(names.DISTRICT_PUBLIC_UNITS[1:])} {where}"
            return rng.choice(names.PROVINCE_PUBLIC_UNITS)
        if key == "non_public":
            return rng.choice([f"Trường Tiểu học dân lập {place}", f"Phòng khám đa khoa tư nhân {place}"])
        if key == "state_ent":
            return _fill(rng, rng.choice(names.STATE_ENTERPRISES), place, PROVINCE_NAME)
        if key == "private":
            return f"Công ty {rng.choice(['TNHH', 'Cổ phần'])} {rng.choice(names.INDUSTRIES)} {place}"
        if key == "fdi":
            return f"Công ty TNHH {rng.choice(names.FDI_STEMS)} {rng.choice(names.FDI_TRADES)} Việt Nam"
        if key == "coop":
            return rng.choice([f"Hợp tác xã nông nghiệp {place}", f"Quỹ tín dụng nhân dân {place}"])
        if key == "army":
            return f"Quân sự {where}" if district else _fill(rng, rng.choice(names.PROVINCE_ARMY_UNITS), place, "")
        if key == "police":
            return f"Công an {where}" if district else rng.choice(names.PROVINCE_POLICE_UNITS)
        return rng.choice(names.PROVINCE_OTHER_UNITS)

    def _fallback(self, key, district, title, where):
        """When a list of unique institutions runs out, the kinds of units a province has many of."""
        rng = self.rng
        place = rng.choice(self.common)
        if key in ("party_mass", "state", "other"):
            return f"Trung tâm {rng.choice(names.PROVINCE_CENTRES)}" + (f" {where}" if district else " tỉnh")
        if key == "health":
            return f"Bệnh viện Đa khoa khu vực {place}"
        if key == "public":
            return f"Trường THPT {place}"
        if key == "state_ent":
            return f"Công ty Cổ phần {rng.choice(names.INDUSTRIES)} {place}"
        if key == "army":
            return f"Đại đội {rng.randint(1, 99)}"
        if key == "police":
            return f"Đồn Công an {place}"
        return self._draw(key, district, title, where)


def _public_profile(key, district, label):
    """Hospitals and colleges among the province's public units have the staff profile of their kind."""
    if key != "public" or district:
        return None
    if label.startswith(("Bệnh viện", "Trung tâm Kiểm soát", "Trung tâm Giám định")):
        return "health"
    return "school" if label.startswith("Trường") else None
