"""Vietnamese words the demo province is drawn from: people's names, place names, unit names."""


def words(text):
    return text.split()


# Approximate national frequencies of family names (per thousand).
FAMILY_NAMES = {
    "Nguyễn": 380,
    "Trần": 110,
    "Lê": 95,
    "Phạm": 70,
    "Hoàng": 40,
    "Huỳnh": 11,
    "Phan": 45,
    "Vũ": 30,
    "Võ": 10,
    "Đặng": 21,
    "Bùi": 20,
    "Đỗ": 14,
    "Hồ": 13,
    "Ngô": 13,
    "Dương": 10,
    "Lý": 5,
    "Đinh": 8,
    "Trương": 8,
    "Đào": 6,
    "Lương": 5,
    "Mai": 4,
    "Cao": 4,
    "Lâm": 3,
    "Tạ": 3,
    "Hà": 5,
    "Chu": 2,
    "Trịnh": 4,
    "Kiều": 2,
    "Tô": 2,
}

# Ethnic minorities with their weight among the province's minority members and typical family names.
MINORITIES = {
    "Tày": (30, ["Hoàng", "Nông", "Ma", "Lục", "Hà", "Bế", "Đàm", "Lộc"]),
    "Nùng": (15, ["Hoàng", "Nông", "Vi", "Lăng", "Lương"]),
    "Thái": (14, ["Lò", "Lường", "Cầm", "Quàng", "Tòng", "Vi"]),
    "Mường": (14, ["Bùi", "Đinh", "Quách", "Hà", "Xa"]),
    "Dao": (8, ["Triệu", "Bàn", "Đặng", "Lý"]),
    "H'Mông": (5, ["Giàng", "Vàng", "Sùng", "Thào", "Hạng"]),
    "Sán Dìu": (5, ["Trần", "Lý", "Hoàng", "Diệp"]),
    "Khmer": (4, ["Thạch", "Sơn", "Danh", "Kim", "Chau"]),
    "Hoa": (5, ["Lý", "Lâm", "Quách", "Diệp", "Tăng"]),
}

MALE_MIDDLE = {
    "Văn": 40,
    "Đức": 8,
    "Hữu": 6,
    "Minh": 8,
    "Quang": 6,
    "Công": 5,
    "Xuân": 4,
    "Thanh": 5,
    "Ngọc": 3,
    "Đình": 5,
    "Quốc": 4,
    "Mạnh": 3,
    "Trọng": 3,
    "Thế": 3,
    "Bá": 2,
    "Duy": 3,
    "Tuấn": 2,
    "Hoàng": 2,
    "Văn Minh": 1,
}
FEMALE_MIDDLE = {
    "Thị": 55,
    "Thị Thu": 5,
    "Thị Thanh": 4,
    "Thị Ngọc": 3,
    "Thị Hồng": 3,
    "Thu": 5,
    "Ngọc": 5,
    "Thanh": 5,
    "Minh": 3,
    "Hồng": 4,
    "Kim": 3,
    "Thùy": 3,
    "Phương": 3,
    "Bích": 2,
    "Hoài": 2,
    "Mai": 2,
    "Diệu": 1,
    "Khánh": 2,
}
MALE_GIVEN = words(
    "Anh Bảo Bình Cường Chiến Công Dũng Duy Đạt Đông Đức Giang Hải Hào Hiếu Hiệp Hòa Hoàng Hùng Hưng Huy "
    "Khánh Khoa Kiên Lâm Linh Lộc Long Luân Mạnh Minh Nam Nghĩa Nhân Phong Phú Phúc Quang Quân Quý Sang "
    "Sơn Tài Tâm Tân Thái Thắng Thanh Thành Thiện Thịnh Thuận Tiến Toàn Trí Trung Trường Tú Tuấn Tùng "
    "Việt Vinh Vũ Hậu Lợi Chính Định Hạnh Khải Lực Ninh Quyết Sỹ Thạch Thông Thủy Tuyên Vượng Hoan Kiệm"
)
FEMALE_GIVEN = words(
    "An Anh Bích Chi Diệp Dung Duyên Giang Hà Hạnh Hằng Hiền Hoa Hòa Hồng Huế Huệ Huyền Hương Hường Lan "
    "Liên Linh Loan Lụa Mai My Nga Ngân Ngọc Nguyệt Nhung Oanh Phương Quyên Quỳnh Tâm Thảo Thắm Thanh "
    "Thơm Thu Thủy Thúy Trang Trinh Tuyết Uyên Vân Xuân Yến Lý Hậu Nhàn Nhi Vy Thoa Hải Lệ Ngà Phượng Sen "
    "Thư Dịu"
)

# Two syllables each: combined they give the names of districts, communes and villages.
PLACE_FIRST = words(
    "Tân Phú Hòa An Bình Thạnh Long Phước Vĩnh Đông Tây Nam Bắc Trung Hưng Quang Minh Thanh Đồng Hợp Kim "
    "Ngọc Yên Lạc Thuận Xuân Hương Sơn Cẩm Đại Thượng Cao Tiên Hoàng Mỹ Lương Phúc Thịnh Thái Đức Quyết "
    "Tiến Hồng Châu Liên Nghĩa Trường Hoài Khánh Văn Định Gia Bảo Chí Dân Hải Kỳ Lam Linh Nhân Quế Tam "
    "Tràng Trực Vân"
)
PLACE_SECOND = words(
    "Thành Lợi Hòa Hưng Phú Sơn Lâm Thịnh Tiến Bình An Long Minh Phong Hải Lộc Khánh Đông Tân Xuân Trung "
    "Mỹ Định Hiệp Quang Thuận Nghĩa Đức Vinh Phước Hà Linh Châu Yên Dương Cường Kiên Tường Thủy Lạc Điền "
    "Đồng Khê Trạch Giang Hội Cát Đoài Tây Nam"
)

OUTSIDE_PROVINCES = [
    ("Hà Nội", "HN"),
    ("Hải Phòng", "HP"),
    ("Bắc Ninh", "BN"),
    ("Phú Thọ", "PT"),
    ("Tuyên Quang", "TQ"),
    ("Lạng Sơn", "LS"),
    ("Nghệ An", "NA"),
    ("Thanh Hóa", "TH"),
    ("Ninh Bình", "NB"),
    ("Quảng Ninh", "QN"),
    ("Lào Cai", "LC"),
    ("Thành phố Hồ Chí Minh", "HCM"),
    ("Đà Nẵng", "DNG"),
    ("Đắk Lắk", "DL"),
    ("Cần Thơ", "CT"),
]

DISTRICT_AGENCIES = [
    "Phòng Giáo dục và Đào tạo",
    "Phòng Tài chính – Kế hoạch",
    "Phòng Nông nghiệp và Phát triển nông thôn",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Nội vụ",
    "Phòng Lao động – Thương binh và Xã hội",
    "Phòng Văn hóa và Thông tin",
    "Phòng Kinh tế và Hạ tầng",
    "Phòng Tư pháp",
    "Phòng Y tế",
    "Thanh tra",
    "Văn phòng HĐND và UBND",
    "Chi cục Thuế khu vực",
    "Kho bạc Nhà nước",
    "Tòa án nhân dân",
    "Viện Kiểm sát nhân dân",
    "Chi cục Thi hành án dân sự",
    "Chi cục Thống kê",
    "Bảo hiểm xã hội",
]
DISTRICT_PUBLIC_UNITS = [
    "Trung tâm Y tế",
    "Trung tâm Văn hóa, Thể thao và Truyền thanh",
    "Ban Quản lý dự án đầu tư xây dựng",
    "Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên",
    "Hạt Kiểm lâm",
    "Trung tâm Dịch vụ nông nghiệp",
]
SCHOOL_KINDS = ["Trường Mầm non", "Trường Tiểu học", "Trường THCS", "Trường THPT", "Trường Tiểu học và THCS"]

PROVINCE_PARTY_AGENCIES = [
    "Văn phòng Tỉnh ủy",
    "Ban Tổ chức Tỉnh ủy",
    "Ban Tuyên giáo Tỉnh ủy",
    "Ban Dân vận Tỉnh ủy",
    "Ban Nội chính Tỉnh ủy",
    "Ủy ban Kiểm tra Tỉnh ủy",
    "Cơ quan Ủy ban MTTQ Việt Nam tỉnh",
    "Tỉnh đoàn",
    "Hội Liên hiệp Phụ nữ tỉnh",
    "Hội Nông dân tỉnh",
    "Hội Cựu chiến binh tỉnh",
    "Liên đoàn Lao động tỉnh",
    "Báo {province}",
]
PROVINCE_STATE_AGENCIES = [
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Kế hoạch và Đầu tư",
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Giao thông vận tải",
    "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông",
    "Sở Lao động – Thương binh và Xã hội",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Thanh tra tỉnh",
    "Văn phòng UBND tỉnh",
    "Văn phòng Đoàn ĐBQH và HĐND tỉnh",
    "Ban Dân tộc tỉnh",
    "Cục Thuế tỉnh",
    "Kho bạc Nhà nước tỉnh",
    "Cục Thống kê tỉnh",
    "Tòa án nhân dân tỉnh",
    "Viện Kiểm sát nhân dân tỉnh",
    "Cục Thi hành án dân sự tỉnh",
    "Ngân hàng Nhà nước chi nhánh tỉnh",
    "Bảo hiểm xã hội tỉnh",
    "Ban Quản lý các khu công nghiệp tỉnh",
    "Chi cục Kiểm lâm",
    "Chi cục Thủy lợi",
    "Chi cục Quản lý thị trường",
    "Chi cục Văn thư – Lưu trữ",
    "Chi cục Tiêu chuẩn – Đo lường – Chất lượng",
    "Chi cục Bảo vệ môi trường",
    "Chi cục Dân số – Kế hoạch hóa gia đình",
    "Chi cục An toàn vệ sinh thực phẩm",
    "Chi cục Phát triển nông thôn",
    "Chi cục Trồng trọt và Bảo vệ thực vật",
    "Chi cục Chăn nuôi và Thú y",
]
PROVINCE_PUBLIC_UNITS = [
    "Bệnh viện Đa khoa tỉnh",
    "Bệnh viện Y dược cổ truyền tỉnh",
    "Bệnh viện Phục hồi chức năng tỉnh",
    "Bệnh viện Lao và Bệnh phổi tỉnh",
    "Bệnh viện Sản Nhi tỉnh",
    "Bệnh viện Tâm thần tỉnh",
    "Trung tâm Kiểm soát bệnh tật tỉnh",
    "Trường Cao đẳng Y tế",
    "Trường Cao đẳng Sư phạm",
    "Trường Cao đẳng Kinh tế – Kỹ thuật",
    "Trường Chính trị tỉnh",
    "Trường THPT Chuyên",
    "Đài Phát thanh và Truyền hình tỉnh",
    "Trung tâm Khuyến nông tỉnh",
    "Trung tâm Công nghệ thông tin và Truyền thông",
    "Trung tâm Xúc tiến Đầu tư",
    "Trung tâm Dịch vụ việc làm",
    "Trung tâm Phát triển quỹ đất tỉnh",
    "Quỹ Đầu tư phát triển tỉnh",
    "Thư viện tỉnh",
    "Bảo tàng tỉnh",
    "Nhà hát Nghệ thuật truyền thống tỉnh",
    "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp",
    "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông",
    "Trung tâm Quan trắc tài nguyên và môi trường",
    "Trung tâm Bảo trợ xã hội tỉnh",
    "Trung tâm Giám định y khoa",
    "Trường Cao đẳng Nghề",
]
PROVINCE_OTHER_UNITS = [
    "Hội Chữ thập đỏ tỉnh",
    "Liên minh Hợp tác xã tỉnh",
    "Hội Văn học Nghệ thuật tỉnh",
    "Hội Luật gia tỉnh",
    "Hội Nhà báo tỉnh",
    "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh",
    "Hội Khuyến học tỉnh",
    "Liên hiệp các tổ chức hữu nghị tỉnh",
]
STATE_ENTERPRISES = [
    "Công ty TNHH MTV Xổ số kiến thiết {province}",
    "Công ty Điện lực {province}",
    "Công ty Cổ phần Cấp nước {province}",
    "Công ty TNHH MTV Khai thác công trình thủy lợi {province}",
    "Công ty Cổ phần Môi trường và Công trình đô thị {province}",
    "Bưu điện tỉnh {province}",
    "Viễn thông {province}",
    "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh {province}",
    "Ngân hàng TMCP Công Thương chi nhánh {province}",
    "Ngân hàng Chính sách xã hội chi nhánh {province}",
    "Công ty TNHH MTV Lâm nghiệp {place}",
    "Công ty Cổ phần Xi măng {place}",
    "Công ty Cổ phần Chè {place}",
    "Công ty Than {place}",
    "Công ty Cổ phần Khoáng sản {place}",
]
INDUSTRIES = [
    "Xây dựng",
    "Thương mại",
    "May mặc",
    "Vật liệu xây dựng",
    "Vận tải",
    "Dược phẩm",
    "Thực phẩm",
    "Cơ khí",
    "Chế biến nông sản",
    "Đầu tư phát triển",
    "Gạch ngói",
    "Chế biến gỗ",
    "Điện tử",
    "Du lịch",
]
# Invented names of foreign-invested companies (no real company is meant).
FDI_STEMS = words(
    "Shinwoo Daeyang Hoya Taisei Namyang Fujisei Jinsung Everwin Kyowa Sunrise Hanil Seojin Tokai Meiko Wonjin"
)
FDI_TRADES = ["Electronics", "Precision", "Textile", "Garment", "Components", "Metal", "Optics", "Plastics"]
PROVINCE_CENTRES = [
    "Kỹ thuật tài nguyên và môi trường",
    "Đăng kiểm xe cơ giới",
    "Kiểm định chất lượng công trình xây dựng",
    "Trợ giúp pháp lý nhà nước",
    "Dịch vụ đấu giá tài sản",
    "Lưu trữ lịch sử",
    "Nước sạch và vệ sinh môi trường nông thôn",
    "Giống cây trồng và vật nuôi",
    "Huấn luyện và thi đấu thể dục thể thao",
    "Văn hóa nghệ thuật",
    "Thông tin và Xúc tiến du lịch",
    "Điều dưỡng người có công",
    "Công tác xã hội",
    "Pháp y",
    "Kiểm nghiệm thuốc, mỹ phẩm, thực phẩm",
    "Phục vụ hành chính công",
    "Ứng dụng tiến bộ khoa học và công nghệ",
    "Kỹ thuật tiêu chuẩn đo lường chất lượng",
    "Quy hoạch xây dựng",
    "Bảo trợ trẻ em",
    "Phòng, chống HIV/AIDS",
    "Nghiên cứu và Phát triển nông nghiệp",
    "Đào tạo, bồi dưỡng cán bộ",
    "Thông tin thống kê",
    "Dịch vụ tài chính công",
    "Quản lý di tích",
    "Phát triển cụm công nghiệp",
    "Khuyến công và Tư vấn phát triển công nghiệp",
    "Giáo dục thường xuyên",
    "Chăm sóc sức khỏe cán bộ",
]
PROVINCE_ARMY_UNITS = [
    "Cơ quan Bộ Chỉ huy Quân sự tỉnh",
    "Trường Quân sự tỉnh",
    "Trung đoàn {n}",
    "Tiểu đoàn Bộ binh {n}",
    "Đại đội Trinh sát {n}",
    "Đại đội Công binh {n}",
    "Đại đội Thông tin {n}",
    "Kho K{n}",
    "Ban Chỉ huy Quân sự khu công nghiệp {place}",
]
PROVINCE_POLICE_UNITS = [
    "Phòng Tham mưu",
    "Phòng Cảnh sát giao thông",
    "Phòng Cảnh sát hình sự",
    "Phòng An ninh chính trị nội bộ",
    "Phòng An ninh kinh tế",
    "Phòng Cảnh sát kinh tế",
    "Phòng Cảnh sát điều tra tội phạm về ma túy",
    "Phòng Cảnh sát quản lý hành chính về trật tự xã hội",
    "Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
    "Phòng Hậu cần",
    "Phòng Tổ chức cán bộ",
    "Phòng Công tác đảng và công tác chính trị",
    "Phòng Cảnh sát cơ động",
    "Trại tạm giam",
    "Phòng Hồ sơ",
    "Phòng Kỹ thuật hình sự",
    "Phòng An ninh điều tra",
    "Phòng Quản lý xuất nhập cảnh",
    "Phòng Cảnh sát môi trường",
    "Phòng Thanh tra",
    "Phòng Cảnh sát thi hành án hình sự và hỗ trợ tư pháp",
    "Phòng Cảnh sát điều tra tội phạm về trật tự xã hội",
    "Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao",
]

# Cells (chi bộ trực thuộc) by the kind of unit they belong to: named ones first, then numbered ones.
CELL_NAMES = {
    "agency": (
        ["Văn phòng", "Phòng Tổ chức – Cán bộ", "Phòng Kế hoạch – Tài chính", "Phòng Thanh tra"],
        "Phòng Nghiệp vụ {n}",
    ),
    "school": (
        ["Tổ Toán – Tin", "Tổ Ngữ văn", "Tổ Ngoại ngữ", "Tổ Khoa học tự nhiên", "Tổ Khoa học xã hội", "Tổ Văn phòng"],
        "Tổ chuyên môn {n}",
    ),
    "health": (
        ["Khoa Nội", "Khoa Ngoại", "Khoa Sản", "Khoa Nhi", "Khoa Hồi sức cấp cứu", "Khoa Xét nghiệm", "Khoa Dược"],
        "Khoa Lâm sàng {n}",
    ),
    "enterprise": (["Khối Văn phòng", "Phòng Kỹ thuật", "Phòng Kinh doanh"], "Phân xưởng {n}"),
    "army": (["Cơ quan Tham mưu", "Cơ quan Chính trị", "Cơ quan Hậu cần – Kỹ thuật"], "Đại đội {n}"),
    "police": (
        ["Đội Tham mưu – Tổng hợp", "Đội An ninh", "Đội Cảnh sát hình sự", "Đội Cảnh sát giao thông"],
        "Tổ công tác {n}",
    ),
    "coop": ([], "Tổ sản xuất {n}"),
}
# Đảng bộ bộ phận of a large đảng bộ cơ sở, by profile.
SUB_COMMITTEE_NAMES = {
    "army": ["Đảng bộ Tiểu đoàn 1", "Đảng bộ Tiểu đoàn 2", "Đảng bộ Tiểu đoàn 3"],
    "health": ["Đảng bộ bộ phận Khối Lâm sàng", "Đảng bộ bộ phận Khối Cận lâm sàng", "Đảng bộ bộ phận Khối Hành chính"],
    "school": ["Đảng bộ bộ phận Khối Tự nhiên", "Đảng bộ bộ phận Khối Xã hội", "Đảng bộ bộ phận Khối Hành chính"],
    "enterprise": ["Đảng bộ bộ phận Xí nghiệp 1", "Đảng bộ bộ phận Xí nghiệp 2", "Đảng bộ bộ phận Xí nghiệp 3"],
}
DEFAULT_SUB_COMMITTEE_NAMES = ["Đảng bộ bộ phận Khối 1", "Đảng bộ bộ phận Khối 2", "Đảng bộ bộ phận Khối 3"]
COMMUNE_AGENCY_CELLS = ["Cơ quan", "Quân sự", "Công an", "Trạm Y tế", "Trường Mầm non", "Trường Tiểu học"]

DISCIPLINE_REASONS = [
    "Vi phạm quy định về những điều đảng viên không được làm",
    "Thiếu trách nhiệm trong thực hiện nhiệm vụ được giao",
    "Vi phạm trong quản lý, sử dụng đất đai",
    "Vi phạm chính sách dân số và kế hoạch hóa gia đình",
    "Vi phạm quy định về quản lý tài chính, ngân sách",
    "Vi phạm nguyên tắc tập trung dân chủ",
]
EXEMPT_REASONS = ["Tuổi cao, sức yếu", "Ốm đau dài ngày"]
SUSPENDED_REASONS = ["Bị khởi tố, điều tra", "Bị tạm giam để điều tra"]
TEMPORARY_REASONS = ["Đi học tập dài hạn", "Đi công tác có thời hạn", "Đi lao động có thời hạn"]
