#!/bin/sh
# Builds the Teams app package (bridge-teams.zip) to upload in Teams or the Teams admin center.
#   TEAMS_APP_ID=<Microsoft App ID of the bot> [BRIDGE_PUBLIC_URL=https://bridge.example.com] manifests/teams/package.sh
set -eu
: "${TEAMS_APP_ID:?set TEAMS_APP_ID to the bot's Microsoft App ID (the same value as Teams:AppId)}"
BRIDGE_PUBLIC_URL="${BRIDGE_PUBLIC_URL:-https://bridge.example.com}"
BRIDGE_PUBLIC_URL="${BRIDGE_PUBLIC_URL%/}"
case "$TEAMS_APP_ID" in
  *[!0-9a-fA-F-]*|"") echo "TEAMS_APP_ID must be a GUID" >&2; exit 1 ;;
esac

here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$PWD/bridge-teams.zip}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

sed -e "s|\${TEAMS_APP_ID}|$TEAMS_APP_ID|g" -e "s|\${BRIDGE_PUBLIC_URL}|$BRIDGE_PUBLIC_URL|g" "$here/manifest.json" > "$work/manifest.json"
cp "$here/color.png" "$here/outline.png" "$work/"
rm -f "$out"
(cd "$work" && zip -q -X "$out" manifest.json color.png outline.png)
echo "Wrote $out"
