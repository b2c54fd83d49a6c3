#!/usr/bin/env bash
# A preview app's life, from any CI: `preview.sh open|sync|close PR_NUMBER`.
#   open, sync: apply this directory's configuration in the workspace pr-N (the app, its IPs,
#               certificate, secrets and machine; a new image is one rolling update); prints
#               url=https://... (and appends it to $GITHUB_OUTPUT when there is one).
#   close:      destroy everything of pr-N, check Fly no longer has the app, delete the workspace.
# Needs: FLYFORM_STATE (the team's PostgreSQL state), FLY_API_TOKEN (an organization's token:
# creating apps needs one), FLYFORM_VAR_image (the commit's image), PREVIEW_SESSION_KEY.
# FLYFORM (default: flyform on the PATH) is the flyform to run.
set -euo pipefail
action="${1:?usage: preview.sh open|sync|close PR_NUMBER}"
pr="${2:?usage: preview.sh open|sync|close PR_NUMBER}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
flyform="${FLYFORM:-flyform}"
: "${FLYFORM_STATE:?set FLYFORM_STATE to the PostgreSQL state of the team}"
export FLYFORM_WORKSPACE="pr-$pr"
run() { "$flyform" -chdir "$here" -no-color "$@"; }

case "$action" in
  open|sync)
    run apply -auto-approve -input=false -lock-timeout 5m
    url="$(run output -raw url)"
    echo "url=$url"
    if [[ -n "${GITHUB_OUTPUT:-}" ]]; then echo "url=$url" >> "$GITHUB_OUTPUT"; fi
    ;;
  close)
    app="$(run output -raw app 2>/dev/null || true)"
    run destroy -auto-approve -input=false -lock-timeout 5m   # each deletion waited for until Fly has it gone
    env -u FLYFORM_WORKSPACE "$flyform" -chdir "$here" -no-color workspace delete "pr-$pr"
    echo "closed pr-$pr${app:+ ($app deleted)}"
    ;;
  *)
    echo "preview.sh: no action $action (open, sync or close)" >&2
    exit 2
    ;;
esac
