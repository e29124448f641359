#!/usr/bin/env bash
set -euo pipefail
aio cloudmanager:environment:set-variables 67890 --delete INTERNAL_API_URL CONST_TIMEOUT
