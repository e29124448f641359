#!/usr/bin/env bash
set -euo pipefail
aio cloudmanager:environment:set-variables 67890 --delete ACME_OLD
