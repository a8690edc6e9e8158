"""django-import-export resource for the ratings file: one TCCSĐ's member ratings for one year."""

from django.utils.translation import gettext_lazy as _
from import_export import resources

from organizations.resources import NO, ChoiceWidget, Column, DecimalWidget, TextWidget, YesNoWidget, serial_column

from .models import Level, MemberRating, NotRatedReason

LEVEL_ABBREVIATIONS = {
    Level.EXCELLENT: ("HTXSNV",),
    Level.GOOD: ("HTTNV",),
    Level.COMPLETED: ("HTNV",),
    Level.NOT_COMPLETED: ("KHTNV",),
}


class MemberRatingResource(resources.ModelResource):
    """The ratings file of one TCCSĐ and year, matched on the member's party record number (or card) and the year."""

    serial = serial_column()
    record_number = Column(
        "record_number",
        _("Party record number"),
        in_header=True,
        example="012345TN",
        width=16,
        help_text=_("Or, when it is empty, the party card number identifies the member."),
    )
    card_number = Column("card_number", _("Party card number"), example="", width=14)
    full_name = Column(
        "full_name",
        _("Full name"),
        TextWidget(),
        example="Nguyễn Văn An",
        width=26,
        help_text=_("For reading only: the member is found by the record number."),
    )
    level = Column(
        "level",
        _("Rating"),
        ChoiceWidget(Level, aliases=LEVEL_ABBREVIATIONS),
        example=Level.GOOD.label,
        width=30,
        help_text=_("A rating, or a reason for not rating: exactly one of the two."),
    )
    not_rated_reason = Column(
        "not_rated_reason", _("Not rated because"), ChoiceWidget(NotRatedReason), example="", width=32
    )
    score = Column(
        "score",
        _("Score (from 2025)"),
        DecimalWidget(),
        example="",
        width=12,
        help_text=_("The 100-point score of 366-QĐ/TW; only from 2025."),
    )
    long_sick_leave = Column(
        "long_sick_leave",
        _("Sick leave of 3 months or more"),
        YesNoWidget(),
        example=NO,
        width=14,
        help_text=_("Under 132-QĐ/TW (to 2022) it bars “well completed” or better."),
    )

    class Meta:
        model = MemberRating
        fields = (
            "serial",
            "record_number",
            "card_number",
            "full_name",
            "level",
            "not_rated_reason",
            "score",
            "long_sick_leave",
        )
        import_id_fields = ("record_number",)
        skip_unchanged = True
        report_skipped = True
