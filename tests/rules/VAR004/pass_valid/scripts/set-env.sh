#!/usr/bin/env bash
set -euo pipefail
aio cloudmanager:environment:set-variables 67890 --variable "$NAME" "$VALUE" --secret ACME_KEY "$ACME_KEY" --delete old-name
