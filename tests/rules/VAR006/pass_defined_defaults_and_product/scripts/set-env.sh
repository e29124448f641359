#!/usr/bin/env bash
set -euo pipefail
aio cloudmanager:environment:set-variables 67890 --secret ACME_API_KEY "$ACME_API_KEY"
