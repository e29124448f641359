#!/usr/bin/env bash
set -euo pipefail
aio cloudmanager:environment:set-variables 67890 --secret API_KEY "$API_KEY" --delete OLD_PASSWORD
