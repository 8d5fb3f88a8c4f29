# The app's first migration, empty: surveys (0002) and selections (0003) build on it.

from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = []
