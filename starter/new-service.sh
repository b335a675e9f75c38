#!/usr/bin/env bash
# Creates a new Skiff service from the sample: its code, tests, Dockerfile, Kubernetes manifests
# and Procfile, renamed to your group, artifact and package.
#
# Usage: starter/new-service.sh DIRECTORY GROUP_ID ARTIFACT_ID PACKAGE
#   e.g. starter/new-service.sh ../orders com.acme orders com.acme.orders
#
# The new project builds against Skiff's released artifacts (or those `mvn install` put in your
# local repository): cd DIRECTORY && mvn package && java -jar target/ARTIFACT_ID.jar
set -euo pipefail

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64; }
[ $# -eq 4 ] || usage
target=$1 group=$2 artifact=$3 package=$4

ident='[a-zA-Z_][a-zA-Z0-9_]*'
[[ $group =~ ^$ident(\.$ident)*$ ]] || { echo "GROUP_ID '$group' is not a Maven group id such as com.acme" >&2; exit 64; }
[[ $artifact =~ ^[a-z][a-z0-9-]*$ ]] || { echo "ARTIFACT_ID '$artifact' must be lower case letters, digits and dashes, such as orders" >&2; exit 64; }
[[ $package =~ ^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$ ]] || { echo "PACKAGE '$package' is not a Java package such as com.acme.orders" >&2; exit 64; }
[ ! -e "$target" ] || { echo "$target exists already; choose a new directory" >&2; exit 73; }

sample="$(cd "$(dirname "$0")/../samples/notes" && pwd)"
mkdir -p "$target"
target="$(cd "$target" && pwd)"
# Everything but build output and the tests of Skiff's own docs, rules and architecture, and of this starter.
(cd "$sample" && find . -path ./target -prune -o -type f ! -name DocsSnippetsTest.java ! -name StarterIT.java ! -name FrameworkArchitectureTest.java \
    ! -name PrometheusIT.java ! -name PrometheusRulesTest.java -print) | while read -r file; do
  mkdir -p "$target/$(dirname "$file")"
  cp "$sample/$file" "$target/$file"
done

path=${package//.//}
for tree in src/main/java src/test/java; do
  mkdir -p "$target/$tree/$path"
  mv "$target/$tree/com/example/notes/"* "$target/$tree/$path/"
  find "$target/$tree" -type d -empty -delete
done

# The names, everywhere they appear: package, module path, coordinates, jar, service and image names.
find "$target" -type f \( -name '*.java' -o -name '*.xml' -o -name '*.conf' -o -name '*.yaml' \
    -o -name '*.sql' -o -name Dockerfile -o -name Procfile \) -print0 | xargs -0 sed -i \
  -e "s/com\.example\.notes/$package/g" \
  -e "s#com/example/notes#$path#g" \
  -e "s#<groupId>com.example</groupId>#<groupId>$group</groupId>#" \
  -e "s#<artifactId>notes</artifactId>#<artifactId>$artifact</artifactId>#" \
  -e "s#<finalName>notes</finalName>#<finalName>$artifact</finalName>#" \
  -e "s#notes\.jar#$artifact.jar#g" \
  -e "s#^  name = notes\$#  name = $artifact#"
# Standalone: the parent comes from a repository, not from a Skiff checkout beside it.
sed -i -e "s#<relativePath>../../pom.xml</relativePath>#<relativePath/>#" \
  -e "s#<name>Notes (Skiff sample)</name>#<name>$artifact</name>#" "$target/pom.xml"
# The image builds from the project itself.
sed -i -e "s#-f samples/notes/Dockerfile ##" -e "s#-pl samples/notes -am ##" \
  -e "s#/src/samples/notes/target/#/src/target/#" -e "s#from the repository's root#from this directory#" \
  "$target/Dockerfile"
sed -i -e "s#name: notes-worker#name: $artifact-worker#; s#app: notes-worker#app: $artifact-worker#" \
  -e "s#name: notes\$#name: $artifact#; s#app: notes\$#app: $artifact#; s#image: notes:#image: $artifact:#" \
  -e "s#- name: notes\$#- name: $artifact#" "$target/deploy/kubernetes/notes.yaml"
sed -i "s#-t notes:#-t $artifact:#" "$target/Dockerfile"
mv "$target/deploy/kubernetes/notes.yaml" "$target/deploy/kubernetes/$artifact.yaml"
sed -i "s#String APP = \"notes\";#String APP = \"$artifact\";#" "$target/src/test/java/$path/DeploymentArtifactsTest.java"

cat <<DONE
Created $artifact in $target from Skiff's sample (package $package).
Next:
  cd $target
  mvn package                          # builds target/$artifact.jar and runs its tests
  NOTES_API_TOKEN=dev-token-123 java -jar target/$artifact.jar
Then rename the sample's classes (NotesApp, NotesApi, ...) and its "notes" settings to your own.
DONE
