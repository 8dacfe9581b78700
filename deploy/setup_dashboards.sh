#!/bin/sh
# One-shot setup of the compose files (run in the curlimages/curl image): waits for Kibana or
# OpenSearch Dashboards, creates the `sluice-*` data view (index pattern in OpenSearch
# Dashboards; id `sluice`, time field @timestamp) as the default, and imports
# kibana/saved_objects.ndjson (a saved search of errors and the "sluice: overview" dashboard).
# Safe to run again: everything is written with overwrite.
# Usage: setup_dashboards.sh kibana|opensearch-dashboards URL
set -eu
FLAVOUR="$1"
URL="$2"
OBJECTS="$(dirname "$0")/kibana/saved_objects.ndjson"
JSON='Content-Type: application/json'

case "$FLAVOUR" in
  kibana) XSRF='kbn-xsrf: true'; READY='available' ;;
  opensearch-dashboards) XSRF='osd-xsrf: true'; READY='green' ;;
  *) echo "setup: expected kibana or opensearch-dashboards, got $FLAVOUR" >&2; exit 2 ;;
esac

echo "setup: waiting for $FLAVOUR at $URL"
until curl -fs "$URL/api/status" | grep -o '"overall":{[^}]*' | grep -q "\"$READY\""; do sleep 3; done

echo "setup: data view sluice-*"
if [ "$FLAVOUR" = kibana ]; then
  curl -fsS -X POST "$URL/api/data_views/data_view" -H "$XSRF" -H "$JSON" \
    -d '{"data_view":{"id":"sluice","title":"sluice-*","name":"sluice","timeFieldName":"@timestamp"},"override":true}' >/dev/null
  curl -fsS -X POST "$URL/api/data_views/default" -H "$XSRF" -H "$JSON" -d '{"data_view_id":"sluice","force":true}' >/dev/null
else
  curl -fsS -X POST "$URL/api/saved_objects/index-pattern/sluice?overwrite=true" -H "$XSRF" -H "$JSON" \
    -d '{"attributes":{"title":"sluice-*","timeFieldName":"@timestamp"}}' >/dev/null
  curl -fsS -X POST "$URL/api/opensearch-dashboards/settings" -H "$XSRF" -H "$JSON" -d '{"changes":{"defaultIndex":"sluice"}}' >/dev/null
fi

echo "setup: saved objects"
curl -fsS -X POST "$URL/api/saved_objects/_import?overwrite=true" -H "$XSRF" -F "file=@$OBJECTS" | grep -q '"success":true' \
  || { echo "setup: importing $OBJECTS failed" >&2; exit 1; }
echo "setup: done: $URL/app/dashboards#/view/sluice-overview"
