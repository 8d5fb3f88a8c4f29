"""The API permission matrix: every role × every endpoint of the router × every method, from ONE table.

Each row of MATRIX is (collection, operation) → the status each role gets, in the order of
``ROLES``: anonymous, resident, party_member, unit_operator, grid_worker, community_admin,
street_admin, superuser. Operations are list, retrieve, create, update, partial_update, destroy
and every extra action of the viewset (``name[get]`` where an action answers GET too).
A collection or action added to ``alliance.urls.router`` without a row here fails the test.

Writes are sent with an empty JSON body unless PAYLOADS gives one, so "400" means the role got
past authentication and permission checks and was stopped by validation (or the record's state);
each request runs in a savepoint rolled back afterwards, so every role sees the same world.
Detail routes are tried on the record of community A (舜园社区) that ``world.build_world`` made.
"""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from alliance.urls import router
from tests.security.world import ROLES, build_world

# fmt: off
MATRIX = {
    # collection, operation            anon res  pm   unit grid cadm sadm root
    ("grids", "list"):                "200 200 200 200 200 200 200 200",
    ("grids", "retrieve"):            "200 200 200 200 200 200 200 200",
    ("grids", "create"):              "401 405 405 405 405 405 405 405",
    ("grids", "update"):              "401 405 405 405 405 405 405 405",
    ("grids", "partial_update"):      "401 405 405 405 405 405 405 405",
    ("grids", "destroy"):             "401 405 405 405 405 405 405 405",
    ("assessments", "list"):          "200 200 200 200 200 200 200 200",
    ("assessments", "retrieve"):      "200 200 200 200 200 200 200 200",
    ("assessments", "create"):        "401 405 405 405 405 405 405 405",
    ("assessments", "update"):        "401 405 405 405 405 405 405 405",
    ("assessments", "partial_update"): "401 405 405 405 405 405 405 405",
    ("assessments", "destroy"):       "401 405 405 405 405 405 405 405",
    ("units", "list"):                "200 200 200 200 200 200 200 200",
    ("units", "retrieve"):            "200 200 200 200 200 200 200 200",
    ("units", "create"):              "401 405 405 405 405 405 405 405",
    ("units", "update"):              "401 405 405 405 405 405 405 405",
    ("units", "partial_update"):      "401 403 403 200 403 200 200 200",
    ("units", "destroy"):             "401 405 405 405 405 405 405 405",
    ("members", "list"):              "401 403 403 403 200 200 200 200",
    ("members", "retrieve"):          "401 403 403 403 200 200 200 200",
    ("members", "create"):            "401 403 403 403 405 405 405 405",
    ("members", "update"):            "401 403 403 403 405 405 405 405",
    ("members", "partial_update"):    "401 403 403 403 405 405 405 405",
    ("members", "destroy"):           "401 403 403 403 405 405 405 405",
    ("members", "skills[get]"):       "401 403 403 403 200 200 200 200",
    ("pairings", "list"):             "200 200 200 200 200 200 200 200",
    ("pairings", "retrieve"):         "200 200 200 200 200 200 200 200",
    ("pairings", "create"):           "401 405 405 405 405 405 405 405",
    ("pairings", "update"):           "401 405 405 405 405 405 405 405",
    ("pairings", "partial_update"):   "401 405 405 405 405 405 405 405",
    ("pairings", "destroy"):          "401 405 405 405 405 405 405 405",
    ("pairings", "services"):         "401 403 403 201 403 201 201 201",
    ("committees", "list"):           "200 200 200 200 200 200 200 200",
    ("committees", "retrieve"):       "200 200 200 200 200 200 200 200",
    ("committees", "create"):         "401 405 405 405 405 405 405 405",
    ("committees", "update"):         "401 405 405 405 405 405 405 405",
    ("committees", "partial_update"): "401 405 405 405 405 405 405 405",
    ("committees", "destroy"):        "401 405 405 405 405 405 405 405",
    ("committees", "rotate"):         "401 404 404 404 404 404 400 400",
    ("meetings", "list"):             "200 200 200 200 200 200 200 200",
    ("meetings", "retrieve"):         "200 200 200 200 200 200 200 200",
    ("meetings", "create"):           "401 400 400 400 400 400 400 400",
    ("meetings", "update"):           "401 405 405 405 405 405 405 405",
    ("meetings", "partial_update"):   "401 405 405 405 405 405 405 405",
    ("meetings", "destroy"):          "401 405 405 405 405 405 405 405",
    ("meetings", "agenda"):           "401 404 404 404 404 404 400 400",
    ("meetings", "answer"):           "401 400 400 400 400 400 400 400",
    ("meetings", "cancel"):           "401 404 404 404 404 404 400 400",
    ("meetings", "hold"):             "401 404 404 404 404 404 400 400",
    ("meetings", "minutes"):          "401 404 404 404 404 404 400 400",
    ("matters", "list"):              "200 200 200 200 200 200 200 200",
    ("matters", "retrieve"):          "404 404 404 404 404 404 200 200",
    ("matters", "create"):            "401 400 400 400 400 400 400 400",
    ("matters", "update"):            "401 405 405 405 405 405 405 405",
    ("matters", "partial_update"):    "401 405 405 405 405 405 405 405",
    ("matters", "destroy"):           "401 405 405 405 405 405 405 405",
    ("matters", "defer"):             "401 404 404 404 404 404 400 400",
    ("matters", "follow-up"):         "401 404 404 404 404 404 400 400",
    ("matters", "hand-on"):           "401 404 404 404 404 404 400 400",
    ("matters", "hand-back"):         "401 404 404 404 404 404 400 400",
    ("matters", "raise-to-district"): "401 404 404 404 404 404 400 400",
    ("matters", "milestone-done"):    "401 404 404 404 404 404 400 400",
    ("matters", "resolve"):           "401 404 404 404 404 404 400 400",
    ("matters", "study"):             "401 404 404 404 404 404 200 200",
    ("categories", "list"):           "200 200 200 200 200 200 200 200",
    ("categories", "retrieve"):       "200 200 200 200 200 200 200 200",
    ("categories", "create"):         "405 405 405 405 405 405 405 405",
    ("categories", "update"):         "405 405 405 405 405 405 405 405",
    ("categories", "partial_update"): "405 405 405 405 405 405 405 405",
    ("categories", "destroy"):        "405 405 405 405 405 405 405 405",
    ("resources", "list"):            "200 200 200 200 200 200 200 200",
    ("resources", "retrieve"):        "200 200 200 200 200 200 200 200",
    ("resources", "create"):          "401 400 400 400 400 400 400 400",
    ("resources", "update"):          "401 405 405 405 405 405 405 405",
    ("resources", "partial_update"):  "401 405 405 405 405 405 405 405",
    ("resources", "destroy"):         "401 405 405 405 405 405 405 405",
    ("resources", "republish"):       "401 403 403 200 403 200 200 200",
    ("resources", "retire"):          "401 403 403 200 403 200 200 200",
    ("needs", "list"):                "200 200 200 200 200 200 200 200",
    ("needs", "retrieve"):            "200 200 200 200 200 200 200 200",
    ("needs", "create"):              "401 400 400 400 400 400 400 400",
    ("needs", "update"):              "401 405 405 405 405 405 405 405",
    ("needs", "partial_update"):      "401 405 405 405 405 405 405 405",
    ("needs", "destroy"):             "401 405 405 405 405 405 405 405",
    ("needs", "close"):               "401 403 403 403 200 200 200 200",
    ("needs", "raise-matter"):        "401 403 403 403 403 201 201 201",
    ("needs", "review"):              "401 400 400 400 400 400 400 400",
    ("projects", "list"):             "200 200 200 200 200 200 200 200",
    ("projects", "retrieve"):         "200 200 200 200 200 200 200 200",
    ("projects", "create"):           "401 400 400 400 400 400 400 400",
    ("projects", "update"):           "401 405 405 405 405 405 405 405",
    ("projects", "partial_update"):   "401 405 405 405 405 405 405 405",
    ("projects", "destroy"):          "401 405 405 405 405 405 405 405",
    ("projects", "cancel"):           "401 403 403 403 403 200 200 200",
    ("projects", "claim"):            "401 403 403 409 403 403 403 403",
    ("projects", "complete"):         "401 403 403 403 403 200 200 200",
    ("projects", "expenditures[get]"): "200 200 200 200 200 200 200 200",
    ("projects", "expenditures[post]"): "401 400 400 400 400 400 400 400",
    ("projects", "pledge"):           "401 400 400 400 400 400 400 400",
    ("projects", "publish"):          "401 403 403 403 403 200 200 200",
    ("claims", "list"):               "401 200 200 200 200 200 200 200",
    ("claims", "retrieve"):           "401 404 404 200 200 200 200 200",
    ("claims", "create"):             "401 405 405 405 405 405 405 405",
    ("claims", "update"):             "401 405 405 405 405 405 405 405",
    ("claims", "partial_update"):     "401 405 405 405 405 405 405 405",
    ("claims", "destroy"):            "401 405 405 405 405 405 405 405",
    ("claims", "approve"):            "401 404 404 403 403 200 200 200",
    ("claims", "complete"):           "401 404 404 400 403 400 400 400",
    ("claims", "evaluate"):           "401 400 400 400 400 400 400 400",
    ("claims", "reject"):             "401 404 404 403 403 200 200 200",
    ("claims", "report"):             "401 400 400 400 400 400 400 400",
    ("pledges", "list"):              "200 200 200 200 200 200 200 200",
    ("pledges", "retrieve"):          "200 200 200 200 200 200 200 200",
    ("pledges", "create"):            "405 405 405 405 405 405 405 405",
    ("pledges", "update"):            "405 405 405 405 405 405 405 405",
    ("pledges", "partial_update"):    "405 405 405 405 405 405 405 405",
    ("pledges", "destroy"):           "405 405 405 405 405 405 405 405",
    ("matches", "list"):              "401 200 200 200 200 200 200 200",
    ("matches", "retrieve"):          "401 404 404 200 200 200 200 200",
    ("matches", "create"):            "401 405 405 405 405 405 405 405",
    ("matches", "update"):            "401 405 405 405 405 405 405 405",
    ("matches", "partial_update"):    "401 405 405 405 405 405 405 405",
    ("matches", "destroy"):           "401 405 405 405 405 405 405 405",
    ("matches", "accept"):            "401 404 404 403 403 200 200 200",
    ("matches", "dismiss"):           "401 404 404 403 403 200 200 200",
    ("wishes", "list"):               "200 200 200 200 200 200 200 200",
    ("wishes", "retrieve"):           "200 200 200 200 200 200 200 200",
    ("wishes", "create"):             "401 400 400 400 400 400 400 400",
    ("wishes", "update"):             "401 405 405 405 405 405 405 405",
    ("wishes", "partial_update"):     "401 405 405 405 405 405 405 405",
    ("wishes", "destroy"):            "401 405 405 405 405 405 405 405",
    ("wishes", "claim"):              "401 403 403 200 403 403 403 403",
    ("wishes", "fulfil"):             "401 403 403 403 400 400 400 400",
    ("wishes", "review"):             "401 400 400 400 400 400 400 400",
    ("wishes", "thank"):              "401 400 400 400 400 400 400 400",
    ("stations", "list"):             "200 200 200 200 200 200 200 200",
    ("stations", "retrieve"):         "200 200 200 200 200 200 200 200",
    ("stations", "create"):           "401 405 405 405 405 405 405 405",
    ("stations", "update"):           "401 405 405 405 405 405 405 405",
    ("stations", "partial_update"):   "401 405 405 405 405 405 405 405",
    ("stations", "destroy"):          "401 405 405 405 405 405 405 405",
    ("rooms", "list"):                "200 200 200 200 200 200 200 200",
    ("rooms", "retrieve"):            "200 200 200 200 200 200 200 200",
    ("rooms", "create"):              "401 405 405 405 405 405 405 405",
    ("rooms", "update"):              "401 405 405 405 405 405 405 405",
    ("rooms", "partial_update"):      "401 405 405 405 405 405 405 405",
    ("rooms", "destroy"):             "401 405 405 405 405 405 405 405",
    ("rooms", "slots[get]"):          "200 200 200 200 200 200 200 200",
    ("bookings", "list"):             "401 200 200 200 200 200 200 200",
    ("bookings", "retrieve"):         "401 200 404 404 200 200 200 200",
    ("bookings", "create"):           "401 201 201 201 201 201 201 201",
    ("bookings", "update"):           "401 405 405 405 405 405 405 405",
    ("bookings", "partial_update"):   "401 405 405 405 405 405 405 405",
    ("bookings", "destroy"):          "401 405 405 405 405 405 405 405",
    ("bookings", "cancel"):           "401 200 404 404 200 200 200 200",
    ("bookings", "confirm"):          "401 403 404 404 400 400 400 400",
    ("bookings", "decline"):          "401 400 404 404 400 400 400 400",
    ("menu", "list"):                 "200 200 200 200 200 200 200 200",
    ("menu", "retrieve"):             "200 200 200 200 200 200 200 200",
    ("menu", "create"):               "401 405 405 405 405 405 405 405",
    ("menu", "update"):               "401 405 405 405 405 405 405 405",
    ("menu", "partial_update"):       "401 405 405 405 405 405 405 405",
    ("menu", "destroy"):              "401 405 405 405 405 405 405 405",
    ("orders", "list"):               "401 200 200 200 200 200 200 200",
    ("orders", "retrieve"):           "401 200 404 200 200 200 200 200",
    ("orders", "create"):             "401 201 201 201 201 201 400 400",
    ("orders", "update"):             "401 405 405 405 405 405 405 405",
    ("orders", "partial_update"):     "401 405 405 405 405 405 405 405",
    ("orders", "destroy"):            "401 405 405 405 405 405 405 405",
    ("orders", "accept"):             "401 403 404 200 403 403 403 403",
    ("orders", "cancel"):             "401 200 404 403 403 403 403 403",
    ("orders", "decline"):            "401 403 404 200 403 403 403 403",
    ("orders", "confirm-delivery"):   "401 403 404 403 400 400 400 400",
    ("orders", "deliver"):            "401 403 404 403 400 400 400 400",
    ("orders", "serve"):              "401 403 404 403 403 403 403 403",
    ("orders", "rate"):               "401 400 400 400 400 400 400 400",
    ("issues", "list"):               "401 200 200 200 200 200 200 200",
    ("issues", "retrieve"):           "401 200 404 404 200 200 200 200",
    ("issues", "create"):             "401 201 201 201 201 201 201 400",
    ("issues", "update"):             "401 405 405 405 405 405 405 405",
    ("issues", "partial_update"):     "401 405 405 405 405 405 405 405",
    ("issues", "destroy"):            "401 405 405 405 405 405 405 405",
    ("issues", "escalate"):           "401 403 404 404 200 200 200 200",
    ("issues", "move"):               "401 403 404 404 200 200 200 200",
    ("issues", "raise-matter"):       "401 403 404 404 200 200 200 200",
    ("issues", "rate"):               "401 400 400 400 400 400 400 400",
    ("issues", "publish"):            "401 200 404 404 403 403 403 403",
    ("issues", "take-down"):          "401 403 404 404 400 400 400 400",
    ("activities", "list"):           "200 200 200 200 200 200 200 200",
    ("activities", "retrieve"):       "200 200 200 200 200 200 200 200",
    ("activities", "create"):         "401 405 405 405 405 405 405 405",
    ("activities", "update"):         "401 405 405 405 405 405 405 405",
    ("activities", "partial_update"): "401 405 405 405 405 405 405 405",
    ("activities", "destroy"):        "401 405 405 405 405 405 405 405",
    ("activities", "cancel-signup"):  "401 400 400 400 400 400 400 400",
    ("activities", "check-in"):       "401 400 400 400 400 400 400 400",
    ("activities", "signup"):         "401 200 200 200 200 200 200 200",
    ("activities", "signups[get]"):   "401 403 403 403 200 200 200 200",
    ("recurring-services", "list"):           "200 200 200 200 200 200 200 200",
    ("recurring-services", "retrieve"):       "200 200 200 200 200 200 200 200",
    ("recurring-services", "create"):         "401 405 405 405 405 405 405 405",
    ("recurring-services", "update"):         "401 405 405 405 405 405 405 405",
    ("recurring-services", "partial_update"): "401 405 405 405 405 405 405 405",
    ("recurring-services", "destroy"):        "401 405 405 405 405 405 405 405",
    ("notifications", "list"):        "401 200 200 200 200 200 200 200",
    ("notifications", "retrieve"):    "401 200 404 404 404 404 404 404",
    ("notifications", "create"):      "401 405 405 405 405 405 405 405",
    ("notifications", "update"):      "401 405 405 405 405 405 405 405",
    ("notifications", "partial_update"): "401 405 405 405 405 405 405 405",
    ("notifications", "destroy"):     "401 405 405 405 405 405 405 405",
    ("notifications", "read"):        "401 200 404 404 404 404 404 404",
    ("points", "list"):               "401 200 200 200 200 200 200 200",
    ("points", "retrieve"):           "401 404 404 200 200 200 200 200",
    ("points", "create"):             "401 405 405 405 405 405 405 405",
    ("points", "update"):             "401 405 405 405 405 405 405 405",
    ("points", "partial_update"):     "401 405 405 405 405 405 405 405",
    ("points", "destroy"):            "401 405 405 405 405 405 405 405",
    ("articles", "list"):             "200 200 200 200 200 200 200 200",
    ("articles", "retrieve"):         "200 200 200 200 200 200 200 200",
    ("articles", "create"):           "401 405 405 405 405 405 405 405",
    ("articles", "update"):           "401 405 405 405 405 405 405 405",
    ("articles", "partial_update"):   "401 405 405 405 405 405 405 405",
    ("articles", "destroy"):          "401 405 405 405 405 405 405 405",
    ("map", "list"):                  "200 200 200 200 200 200 200 200",
    ("map", "retrieve"):              "404 404 404 404 404 404 404 404",
    ("map", "create"):                "405 405 405 405 405 405 405 405",
    ("map", "update"):                "404 404 404 404 404 404 404 404",
    ("map", "partial_update"):        "404 404 404 404 404 404 404 404",
    ("map", "destroy"):               "404 404 404 404 404 404 404 404",
    ("map", "nearest[get]"):          "400 400 400 400 400 400 400 400",
    ("public-issues", "list"):        "200 200 200 200 200 200 200 200",
    ("public-issues", "retrieve"):    "200 200 200 200 200 200 200 200",
    ("public-issues", "create"):      "405 405 405 405 405 405 405 405",
    ("public-issues", "update"):      "405 405 405 405 405 405 405 405",
    ("public-issues", "partial_update"): "405 405 405 405 405 405 405 405",
    ("public-issues", "destroy"):     "405 405 405 405 405 405 405 405",
    ("public-issues", "me-too"):      "401 201 201 201 201 201 201 201",
    ("public-issues", "similar[get]"): "400 400 400 400 400 400 400 400",
    ("stats", "list"):                "200 200 200 200 200 200 200 200",
    ("stats", "retrieve"):            "404 404 404 404 404 404 404 404",
    ("stats", "create"):              "405 405 405 405 405 405 405 405",
    ("stats", "update"):              "404 404 404 404 404 404 404 404",
    ("stats", "partial_update"):      "404 404 404 404 404 404 404 404",
    ("stats", "destroy"):             "404 404 404 404 404 404 404 404",
    ("district-stats", "list"):           "200 200 200 200 200 200 200 200",
    ("district-stats", "retrieve"):       "404 404 404 404 404 404 404 404",
    ("district-stats", "create"):         "405 405 405 405 405 405 405 405",
    ("district-stats", "update"):         "404 404 404 404 404 404 404 404",
    ("district-stats", "partial_update"): "404 404 404 404 404 404 404 404",
    ("district-stats", "destroy"):        "404 404 404 404 404 404 404 404",
    ("wall", "list"):                 "200 200 200 200 200 200 200 200",
    ("wall", "retrieve"):             "200 200 200 200 200 200 200 200",
    ("wall", "create"):               "405 405 405 405 405 405 405 405",
    ("wall", "update"):               "405 405 405 405 405 405 405 405",
    ("wall", "partial_update"):       "405 405 405 405 405 405 405 405",
    ("wall", "destroy"):              "405 405 405 405 405 405 405 405",
    ("dual-reports", "list"):         "401 200 200 200 200 200 200 200",
    ("dual-reports", "retrieve"):     "401 404 404 404 200 200 200 200",
    ("dual-reports", "create"):       "401 403 201 403 403 403 403 403",
    ("dual-reports", "update"):       "401 405 405 405 405 405 405 405",
    ("dual-reports", "partial_update"): "401 405 405 405 405 405 405 405",
    ("dual-reports", "destroy"):      "401 405 405 405 405 405 405 405",
    ("dual-reports", "resubmit"):     "401 404 404 404 403 403 403 403",
    ("dual-reports", "confirm"):      "401 404 404 404 403 200 200 200",
    ("dual-reports", "return"):       "401 404 404 404 403 200 200 200",
    ("follows", "list"):              "401 200 200 200 200 200 200 200",
    ("follows", "retrieve"):          "401 200 404 404 404 404 404 404",
    ("follows", "create"):            "401 201 400 400 400 400 400 400",
    ("follows", "update"):            "401 200 404 404 404 404 404 404",
    ("follows", "partial_update"):    "401 200 404 404 404 404 404 404",
    ("follows", "destroy"):           "401 204 404 404 404 404 404 404",
    ("proposals", "list"):            "200 200 200 200 200 200 200 200",
    ("proposals", "retrieve"):        "200 200 200 200 200 200 200 200",
    ("proposals", "create"):          "401 201 201 201 201 201 201 201",
    ("proposals", "update"):          "401 405 405 405 405 405 405 405",
    ("proposals", "partial_update"):  "401 405 405 405 405 405 405 405",
    ("proposals", "destroy"):         "401 405 405 405 405 405 405 405",
    ("proposals", "support[post]"):   "401 200 200 200 200 200 200 200",
    ("proposals", "support[delete]"): "401 400 400 400 400 400 400 400",
    ("proposals", "comments[get]"):   "200 200 200 200 200 200 200 200",
    ("proposals", "comments[post]"):  "401 201 201 201 201 201 201 201",
    ("proposals", "publish"):         "401 403 403 403 403 409 409 409",
    ("proposals", "decline"):         "401 403 403 403 403 200 200 200",
    ("proposals", "merge"):           "401 403 403 403 403 200 200 200",
    ("surveys", "list"):              "200 200 200 200 200 200 200 200",
    ("surveys", "retrieve"):          "404 200 200 404 200 200 200 200",
    ("surveys", "create"):            "405 405 405 405 405 405 405 405",
    ("surveys", "update"):            "405 405 405 405 405 405 405 405",
    ("surveys", "partial_update"):    "405 405 405 405 405 405 405 405",
    ("surveys", "destroy"):           "405 405 405 405 405 405 405 405",
    ("surveys", "answer"):            "401 201 201 404 403 403 403 403",
    ("surveys", "results[get]"):      "404 404 404 404 200 200 200 200",
    ("selections", "list"):           "200 200 200 200 200 200 200 200",
    ("selections", "retrieve"):       "200 200 200 200 200 200 200 200",
    ("selections", "create"):         "405 405 405 405 405 405 405 405",
    ("selections", "update"):         "405 405 405 405 405 405 405 405",
    ("selections", "partial_update"): "405 405 405 405 405 405 405 405",
    ("selections", "destroy"):        "405 405 405 405 405 405 405 405",
    ("selections", "vote"):           "401 201 201 403 403 403 403 403",
    ("selections", "results[get]"):   "404 404 404 404 404 404 404 404",
}
# fmt: on

STANDARD = (
    ("list", "get", False),
    ("retrieve", "get", True),
    ("create", "post", False),
    ("update", "put", True),
    ("partial_update", "patch", True),
    ("destroy", "delete", True),
)


def payloads(w) -> dict:
    """Valid bodies for the creates whose permission would otherwise hide behind validation."""
    start = (timezone.localtime() + datetime.timedelta(days=5)).replace(hour=9, minute=0, second=0, microsecond=0)
    return {
        ("bookings", "create"): {
            "room": w.room.pk,
            "starts_at": start.isoformat(),
            "ends_at": (start + datetime.timedelta(hours=1)).isoformat(),
            "purpose": "楼组议事会",
        },
        ("orders", "create"): {"menu_item": w.menu_item.pk, "text": "上门理发", "address": "舜玉小区3号楼"},
        ("issues", "create"): {"title": "路灯不亮", "text": "3号楼前路灯坏了一周。"},
        ("orders", "decline"): {"reason": "本周人手不足"},  # a decline without its reason is a 400
        # The world's issue is not public: staff in scope get past the checks to the state's 400.
        ("issues", "take-down"): {"reason": "含有个人信息"},
        ("dual-reports", "create"): {
            "community": w.community.pk,
            "in_service": False,
            "serve_times": ["weekends"],
            "volunteer_role": "楼栋志愿者",
            "phone": "13953100777",
        },
        ("dual-reports", "return"): {"reason": "请补充工作单位"},
        # A micro-grid the resident does not follow yet, by e-mail: only the resident has an address (400 others).
        ("follows", "create"): {"node": w.micro_grid.pk, "topics": ["news"], "frequency": "daily", "channel": "email"},
        ("follows", "update"): {"topics": ["news", "lists"], "frequency": "daily", "channel": "email"},
        ("proposals", "create"): {"title": "增设休闲座椅", "text": "广场上老人没地方坐。", "community": w.community.pk},
        ("proposals", "comments[post]"): {"text": "赞成，最好带靠背。"},
        ("proposals", "decline"): {"reason": "已纳入今年的改造计划。"},
        ("proposals", "merge"): {"into": w.proposal_target.pk},
        ("surveys", "answer"): {
            "answers": [{"question": w.survey_question.pk, "choice": 1}, {"question": w.survey_scale.pk, "number": 4}]
        },
        ("selections", "vote"): {"candidate": w.selection.candidates.first().pk},
        ("pairings", "services"): {
            "served_on": timezone.localdate().isoformat(),
            "side": "unit",
            "what": "普法讲座",
        },
    }


def operations():
    """(prefix, operation name, method, detail, url_path) of every route in the router."""
    for prefix, viewset, _basename in router.registry:
        for name, method, detail in STANDARD:
            yield prefix, name, method, detail, ""
        for act in viewset.get_extra_actions():
            methods = list(act.mapping)
            for method in methods:
                name = act.url_path if methods == ["post"] else f"{act.url_path}[{method}]"
                yield prefix, name, method, act.detail, act.url_path


def expected_row(key) -> list[int]:
    return [int(code) for code in MATRIX[key].split()]


def test_every_route_of_the_router_has_a_row_and_every_row_a_route():
    routes = {(prefix, name) for prefix, name, *_ in operations()}
    assert routes - set(MATRIX) == set(), "new endpoints need a row in MATRIX"
    assert set(MATRIX) - routes == set(), "rows for endpoints that no longer exist"
    assert all(len(expected_row(key)) == len(ROLES) for key in MATRIX)


@pytest.mark.django_db
def test_every_role_gets_the_expected_status_on_every_endpoint(settings):
    settings.RATE_LIMITS = {}  # the matrix is not about rate limits
    w = build_world()
    bodies = payloads(w)
    clients = {}
    for role in ROLES:
        # One client per role: each client builds the middleware chain (WhiteNoise scans static files).
        clients[role] = APIClient(raise_request_exception=False)
        if w.users[role] is not None:
            clients[role].force_authenticate(w.users[role])

    mismatches = []
    requests = 0
    for prefix, name, method, detail, url_path in operations():
        url = f"/api/v1/{prefix}/"
        if detail:
            url += f"{w.records[prefix].pk}/"
        if url_path:
            url += f"{url_path}/"
        body = bodies.get((prefix, name), {})
        for role, want in zip(ROLES, expected_row((prefix, name)), strict=True):
            with transaction.atomic():
                if method == "get":
                    response = clients[role].get(url)
                else:
                    response = getattr(clients[role], method)(url, body, format="json")
                transaction.set_rollback(True)
            requests += 1
            if response.status_code != want:
                mismatches.append(f"{role:16} {method.upper():6} {url}: {response.status_code}, expected {want}")
    print(
        f"permission matrix: {len(router.registry)} collections, {len(MATRIX)} operations, {len(ROLES)} roles, {requests} requests"
    )
    assert mismatches == [], "\n".join(mismatches)


# Individual claims, tried on the world's project open to individuals and the resident's claim on it.
# fmt: off
INDIVIDUAL = {
    # operation, url                                     anon res  pm   unit grid cadm sadm root
    ("post", "projects/{open_project}/claim/"):         "401 409 201 201 403 403 403 403",
    ("get", "claims/{person_claim}/"):                  "401 200 404 404 200 200 200 200",
    ("post", "claims/{person_claim}/approve/"):         "401 403 404 404 403 200 200 200",
    ("post", "claims/{person_claim}/complete/"):        "401 403 404 404 403 400 400 400",
}
# fmt: on


@pytest.mark.django_db
def test_every_role_on_individual_claims():
    """A party member claims an individual place, the resident who holds one is told so (409), a unit's operator
    claims for the unit; staff claim nothing and decide; only the claimant and staff in scope see the claim."""
    w = build_world()
    mismatches = []
    for (method, path), row in INDIVIDUAL.items():
        url = "/api/v1/" + path.format(open_project=w.open_project.pk, person_claim=w.person_claim.pk)
        for role, want in zip(ROLES, [int(code) for code in row.split()], strict=True):
            client = APIClient(raise_request_exception=False)
            if w.users[role] is not None:
                client.force_authenticate(w.users[role])
            with transaction.atomic():
                response = getattr(client, method)(url, {}, format="json")
                transaction.set_rollback(True)
            if response.status_code != want:
                mismatches.append(f"{role:16} {method.upper():6} {url}: {response.status_code}, expected {want}")
    assert mismatches == [], "\n".join(mismatches)


@pytest.mark.django_db
def test_unauthenticated_writes_answer_401_with_a_token_challenge():
    response = APIClient().post("/api/v1/orders/", {}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


# --- cross-scope: a record outside one's subtree (or not one's own) answers 404 -------------------------------


@pytest.fixture
def world(db, settings):
    settings.RATE_LIMITS = {}
    return build_world()


def _as(user):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


def test_community_admin_cannot_see_or_touch_another_communitys_records(world):
    client = _as(world.other_admin)  # admin of 舜华社区; the records are 舜园社区's

    for url in (
        f"/api/v1/orders/{world.order.pk}/",
        f"/api/v1/issues/{world.issue.pk}/",
        f"/api/v1/claims/{world.claim.pk}/",
        f"/api/v1/bookings/{world.booking.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/api/v1/claims/{world.claim.pk}/approve/", {}, format="json").status_code == 404
    assert client.post(f"/api/v1/issues/{world.issue.pk}/move/", {}, format="json").status_code == 404
    listed = {row["id"] for row in client.get("/api/v1/issues/").json()["results"]}
    assert world.issue.pk not in listed and world.other_issue.pk in listed


def test_unit_cannot_see_or_act_on_another_units_claims(world):
    client = _as(world.other_operator)

    assert client.get(f"/api/v1/claims/{world.claim.pk}/").status_code == 404
    assert client.post(f"/api/v1/claims/{world.claim.pk}/complete/", {}, format="json").status_code == 404
    listed = {row["id"] for row in client.get("/api/v1/claims/").json()["results"]}
    assert listed == {world.other_claim.pk}


def test_resident_cannot_see_or_act_on_another_residents_orders_and_issues(world):
    client = _as(world.other_resident)

    assert client.get(f"/api/v1/orders/{world.order.pk}/").status_code == 404
    assert client.post(f"/api/v1/orders/{world.order.pk}/cancel/", {}, format="json").status_code == 404
    assert client.get(f"/api/v1/issues/{world.issue.pk}/").status_code == 404
    assert client.get(f"/api/v1/bookings/{world.booking.pk}/").status_code == 404
    assert client.get(f"/api/v1/notifications/{world.notification.pk}/").status_code == 404
    orders = {row["id"] for row in client.get("/api/v1/orders/").json()["results"]}
    assert orders == {world.other_order.pk}
