#!/usr/bin/env bash
# The Kafka broker's jars (Maven Central), fetched beside the other programs so that the suite's
# first start of test/kafka/run does not resolve them.
set -euo pipefail
exec "$(dirname "$0")/../../kafka/run" fetch
