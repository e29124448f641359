#!/usr/bin/env bash
set -euo pipefail
aio cloudmanager:environment:set-variables 67890 --variable ACME_REGION "" --secret ACME_TOKEN ''
