"""The ceilings of ``make bench``: the least a page and an API list can cost on this stack.

Mounted at /bench/ only when BENCH_CEILINGS=1. ``ceiling_page`` renders 20 rows of one table in the
site's layout (base.html: the same middleware, session, context processors and shell as every page);
``CeilingList`` is a DRF list of 20 rows of one table with the project's default pagination;
``ceiling_admin`` is the stock Django admin (a plain ``AdminSite``, not the project's) at /bench/admin/ with one
change list: 50 rows of a small table, five plain columns, the default action, no filter or search.
Every real page, API list and admin list is measured against these in the same run.
"""

from django.contrib import admin
from django.shortcuts import render
from rest_framework import generics, permissions, serializers

from members.models import MemberUnit, PartyOrganization

ROWS = 20


def ceiling_page(request):
    units = MemberUnit.objects.only("id", "name", "kind", "address", "contact_name").order_by("pk")[:ROWS]
    return render(request, "bench/ceiling.html", {"units": units})


class CeilingUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = MemberUnit
        fields = ["id", "name", "kind", "address", "contact_name"]


class CeilingList(generics.ListAPIView):
    serializer_class = CeilingUnitSerializer
    permission_classes = [permissions.AllowAny]
    queryset = MemberUnit.objects.only("id", "name", "kind", "address", "contact_name").order_by("pk")


class CeilingPartyOrganizationAdmin(admin.ModelAdmin):
    """The admin ceiling's one list. Party organisations: about two hundred rows in the demo district and the same
    in the city seed (seed_city adds none), so the ceiling is the same table at both scales, and small enough that
    the stock admin's two full counts cost next to nothing. Staff (the street admin and the superuser the admin
    bench signs in as) get every permission without the permission tables, as in the project's admin
    (``is_admin_user``): the list shows the default action and its checkboxes."""

    list_display = ["id", "name", "kind", "secretary", "member_count"]
    list_per_page = 50

    def _staff(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return self._staff(request)

    def has_view_permission(self, request, obj=None):
        return self._staff(request)

    def has_add_permission(self, request):
        return self._staff(request)

    def has_change_permission(self, request, obj=None):
        return self._staff(request)

    def has_delete_permission(self, request, obj=None):
        return self._staff(request)


ceiling_admin = admin.AdminSite(name="bench_admin")
ceiling_admin.register(PartyOrganization, CeilingPartyOrganizationAdmin)
