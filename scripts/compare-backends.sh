#!/usr/bin/env bash
# Every fixture (ours and, when present, notation-go's vectors) must get byte-identical
# outcome JSON from the aws-lc and ring crypto backends.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
manifests=(tests/fixtures/manifest.json)
[ -f ../shared/vectors/manifest.json ] && manifests+=(../shared/vectors/manifest.json)
for manifest in "${manifests[@]}"; do
  name=$(basename "$(dirname "$manifest")")
  cargo run --quiet --example outcome_json -- "$manifest" > "$out/$name.aws-lc.json"
  cargo run --quiet --no-default-features --features ring --example outcome_json -- "$manifest" > "$out/$name.ring.json"
  if ! cmp -s "$out/$name.aws-lc.json" "$out/$name.ring.json"; then
    echo "backends disagree on $manifest:" >&2
    diff <(python3 -m json.tool "$out/$name.aws-lc.json") <(python3 -m json.tool "$out/$name.ring.json") | head -40 >&2
    exit 1
  fi
  cases=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$out/$name.aws-lc.json")
  echo "$manifest: $cases cases, identical outcomes on aws-lc and ring"
done
