#!/usr/bin/env bash
# Fetches logback (with slf4j) and log4j 1.2 from Maven Central into a private cache, for the
# grok tests on the lines their default layouts write; the JDK's javac compiles the program
# that logs. Idempotent: jars already there are kept.
set -euo pipefail
JARS="${SLUICE_JAVA_LOGGING_JARS:-$HOME/.cache/sluice-test/java-logging}"
wanted=(ch.qos.logback:logback-classic:1.5.18 ch.qos.logback:logback-core:1.5.18 org.slf4j:slf4j-api:2.0.17 log4j:log4j:1.2.17)
have_all=1
for coordinate in "${wanted[@]}"; do
  IFS=: read -r _group artifact version <<<"$coordinate"
  [ -f "$JARS/$artifact-$version.jar" ] || have_all=0
done
if [ "$have_all" = 1 ]; then exit 0; fi
command -v javac >/dev/null 2>&1 || { source "$(dirname "$0")/../lib/debian.sh"; install_debian_packages default-jdk-headless; }
command -v mvn >/dev/null 2>&1 || { source "$(dirname "$0")/../lib/debian.sh"; install_debian_packages maven; }
mkdir -p "$JARS"
for coordinate in "${wanted[@]}"; do
  mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy -Dartifact="$coordinate" -DoutputDirectory="$JARS" -Dmdep.useBaseVersion=true
done
ls "$JARS"
