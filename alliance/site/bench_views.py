"""The ceilings of ``make bench``: the least a page and an API list can cost on this stack.

Mounted at /bench/ only when BENCH_CEILINGS=1. ``ceiling_page`` renders 20 rows of one table in the
site's layout (base.html: the same middleware, session, context processors and shell as every page);
``CeilingList`` is a DRF list of 20 rows of one table with the project's default pagination.
Every real page and API list is measured against these in the same run.
"""

from django.shortcuts import render
from rest_framework import generics, permissions, serializers

from members.models import MemberUnit

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
