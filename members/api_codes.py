"""The member records the program's figures count, over the API: coded fields (by code) and posts held."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from organizations.api import OrganizationRefSerializer

from .models import Code, CodeList, GovernmentPost

UNKNOWN_CODE = _("There is no active code “{value}” in this list.")
CODED_FIELDS = {
    "ethnicity_code": CodeList.ETHNICITY,
    "religion_code": CodeList.RELIGION,
    "general_education": CodeList.EDUCATION,
    "qualification": CodeList.QUALIFICATION,
    "occupation_at_admission": CodeList.OCCUPATION,
    "occupation_now": CodeList.OCCUPATION,
}


def code_field(code_list, *, write=False):
    """A member's coded field shown and given by its code (docs/decisions.md lists the codes)."""
    help_text = f"A code of the '{code_list}' list (listed on the coded lists page); null when not recorded"
    if not write:
        return serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True, help_text=help_text)
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=Code.objects.filter(list=code_list, active=True),
        required=False,
        allow_null=True,
        help_text=help_text,
        error_messages={"does_not_exist": UNKNOWN_CODE},
    )


def youth_union_field(*, write=False):
    help_text = "A youth union member when admitted; null when not recorded"
    if not write:
        return serializers.BooleanField(read_only=True, allow_null=True, help_text=help_text)
    return serializers.BooleanField(required=False, allow_null=True, help_text=help_text)


class GovernmentPostSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="A code of the 'post' list")
    organization = OrganizationRefSerializer()

    class Meta:
        model = GovernmentPost
        fields = ["id", "kind", "organization", "place", "start", "end"]
