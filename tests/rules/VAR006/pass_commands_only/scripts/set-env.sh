#!/usr/bin/env bash
set -euo pipefail
aio cloudmanager:environment:set-variables 67890 --variable ACME_API_URL https://api.example.com
