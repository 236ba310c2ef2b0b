#!/usr/bin/env bash
# Builds the release bundle (the release profile's deploy layout, tests skipped) and checks that
# each published module has what Maven Central requires: a pom with name, description, url,
# licences, developers, scm and issue management (its own or its parent's), the jar, the sources
# and javadoc jars, a CycloneDX SBOM and checksums; signatures too if any file is signed. Exits
# non-zero naming each missing piece; when all is there, writes target/central-bundle.zip.
#
#   scripts/check-release-bundle.sh                    # CI: unsigned, checks the layout
#   scripts/check-release-bundle.sh -Dgpg.skip=false   # a release: signed (docs/releasing.md)
#
# Extra arguments go to Maven. Nothing is installed into the local repository.
set -euo pipefail
cd "$(dirname "$0")/.."

staging=target/central-staging
bundle=target/central-bundle.zip
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# Old SNAPSHOT builds would leave a second timestamped pom per module.
rm -rf "$staging" "$bundle"
./mvnw -B -q -Prelease -DskipTests -Dmaven.install.skip=true "$@" deploy
"$java" scripts/CheckReleaseBundle.java "$staging" "$bundle"
