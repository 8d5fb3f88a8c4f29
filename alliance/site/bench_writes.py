"""The write ceiling of ``make bench``: the least an API write can cost on this stack.

Mounted at /bench/write/ only when BENCH_CEILINGS=1 (alliance.site.bench_urls). A bare DRF create view: the
API's own authentication (REST_FRAMEWORK's DEFAULT_AUTHENTICATION_CLASSES: the bench sends a token), a JSON
body read by a serializer, one INSERT inside one transaction (like every API write, alliance.core.api_atomic),
201 with the new row's id. Placing an order, reporting an issue, claiming a project and booking a room are
measured against it in the same run (tests/bench/writes.py).

The row goes into Django's admin log (``django_admin_log``): an existing narrow table that nothing of the
portal reads (no history, no cache group, no signal, no event); a row without a content type belongs to no
object's history page. A table of our own would need a model and a migration kept in production for the bench.
"""

from django.contrib.admin.models import ADDITION, LogEntry
from django.db import transaction
from rest_framework import generics, permissions, serializers

# What a ceiling row says (object_repr): the bench deletes its rows by it afterwards.
BENCH_REPR = "bench-write-ceiling"


class CeilingWriteSerializer(serializers.ModelSerializer):
    text = serializers.CharField(source="change_message", max_length=200)

    class Meta:
        model = LogEntry
        fields = ["id", "text"]


class CeilingCreate(generics.CreateAPIView):
    serializer_class = CeilingWriteSerializer
    permission_classes = [permissions.IsAuthenticated]

    def create(self, request, *args, **kwargs):
        with transaction.atomic():  # as every API write (alliance.core.api_atomic)
            return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.save(user=self.request.user, action_flag=ADDITION, object_repr=BENCH_REPR)
