"""Points move to their own app (alliance.points, label "points"), every row kept.

Django's recipe for moving models between apps: here the tables are renamed to the new app's names
(the history tables too, and the indexes named after the table) while the models leave members' state;
points.0001_initial adds them to its state without touching the database.
"""

from django.db import migrations

MODELS = [
    # history first, then the rows of a ranking before the ranking: no state refers to a model gone
    "HistoricalPointsEntry",
    "HistoricalPointsRanking",
    "HistoricalPointsRule",
    "HistoricalServiceHoursTarget",
    "HistoricalStarRating",
    "PointsRankingRow",
    "PointsRanking",
    "PointsEntry",
    "PointsRule",
    "ServiceHoursTarget",
    "StarRating",
]
INDEXES = [  # (members' name, the name Django gives it on points_pointsentry)
    ("members_poi_street__770d1c_idx", "points_poin_street__ec5e2a_idx"),
    ("members_poi_member__a5e240_idx", "points_poin_member__89c522_idx"),
    ("members_poi_unit_id_42eb7b_idx", "points_poin_unit_id_6b8327_idx"),
]


class Migration(migrations.Migration):
    dependencies = [("members", "0006_unit_logo")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                *(migrations.AlterModelTable(name=model, table=f"points_{model.lower()}") for model in MODELS),
                *(migrations.RenameIndex("pointsentry", new_name=new, old_name=old) for old, new in INDEXES),
            ],
            state_operations=[migrations.DeleteModel(name=model) for model in MODELS],
        )
    ]
